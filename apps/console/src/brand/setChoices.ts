import { useEffect, useState } from 'react';
import { graphql } from '../gql';
import { useApiKey } from '../session';
import { useQuery } from '../ui';

/** The brand's sets whose name holds what was typed (every set when nothing was), the first 50. */
const SetChoices = graphql(`
  query ConsoleSetChoices($name: String) {
    productSets(first: 50, nameContains: $name) {
      totalCount
      nodes {
        id
        name
      }
    }
  }
`);

/**
 * A form's product-set picker (the campaign form, a new channel export): what is typed, the search asked 250 ms
 * after the last key, and the sets it found (undefined while loading), so any set is reachable however many the
 * brand has.
 */
export function useSetChoices() {
  const apiKey = useApiKey();
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const choices = useQuery(SetChoices, { name: search || null }, apiKey);
  return { typed, setTyped, search, found: choices.data?.productSets };
}
