import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { googleTaxonomy, type CategoryMatch, type Taxonomy } from './taxonomy.lookup.js';

/**
 * Suggests a Google product category for an item from its own words: title, product_type and description are
 * matched against the taxonomy's paths (IDF-weighted, the leaf counting most) and against a small shipped table of
 * common product words (data/category-keywords.tsv). No network, no model: the index is built from the two files
 * once per process, on first use, and holds a few thousand short arrays.
 */

export interface CategorySuggestion extends CategoryMatch {
  /**
   * 0–1: about how likely the suggestion is the item's category (calibrated on the bench's labelled items), from how
   * strongly the item's words point at it and how far ahead of the next candidate it is.
   */
  confidence: number;
}

export interface SuggestInput {
  title?: string | null;
  productType?: string | null;
  description?: string | null;
  /** The item's brand: its words name the maker, not the thing ("CRANE - eNE" is a bell, not a crane). */
  brand?: string | null;
}

export const KEYWORD_FILE = 'category-keywords.tsv';

/** Field weights: product_type is the brand's own classification, its last segment most of all. */
const WEIGHT_PRODUCT_TYPE_LEAF = 2.2;
const WEIGHT_PRODUCT_TYPE = 1.4;
const WEIGHT_TITLE = 1.6;
/** The last word of the title (before any " - " or ", " detail) is usually the thing sold: "Leather Wallet". */
const WEIGHT_TITLE_HEAD = 2.0;
const WEIGHT_DESCRIPTION = 0.5;
/** The last word of the description's first sentence, before any "with" or "for". */
const WEIGHT_DESCRIPTION_HEAD = 1;
const SENTENCE_END = /[.!?\n]/;
/** Nodes whose raw score is under this share of the best one's are not scored in full. */
const CANDIDATE_SHARE = 0.3;
const DESCRIPTION_ONLY_FACTOR = 0.9;
const TITLE_PARTS = /\s+[-–—|:/]\s+|,\s+|\(|\)/;
const HEAD_ENDS = /\s+(?:with|for|by|from|in|on|without|featuring|incl\.?|including|that|which|to)\s+/i;
/** A product_type segment that names a collection, not a kind of thing: "The Cult of Mathilda", "Fiona's Picks". */
const COLLECTION_NAME = /^(?:the|a|an)\s|\p{L}['’]s(?:\s|$)/iu;
const PRODUCT_TYPE_VALUES = /\s*;\s*/;
const BRAND_PREFIX = /^((?:\p{Lu}[\p{Lu}\d&.'’]+)(?:\s+\p{Lu}[\p{Lu}\d&.'’]+)?)\s*[-–—|]\s+\S/u;
/** Only the start of a description is read: it names the product; the rest is care, shipping and sizes. */
const DESCRIPTION_CHARS = 400;
/** A word matched in an ancestor segment counts this much of a word matched in the leaf. */
const ANCESTOR_FACTOR = 0.3;
/** A keyword-table hit counts as a match of a word this rare (in IDF units), covering the whole leaf. */
const KEYWORD_IDF = 6;
/** What a keyword adds, per unit of word weight, to a node whose leaf already has the word. */
const KEYWORD_PREFERENCE = 3;
/** Scales the score into confidence: a score of this much is about 0.5 strength. */
const CONFIDENCE_SCALE = 9;
/**
 * The raw agreement (strength × lead, 0–1) is mapped onto the share of suggestions that were right, so that a
 * confidence of 0.6 means about 6 in 10 such suggestions name the item's category: a logistic curve fitted, then
 * flattened, on the bench's tuning items (README: Category suggestions); bench/category-accuracy prints how well it
 * holds on the held-out test feeds. Never 1: the words can always mislead.
 */
const CALIBRATION_SLOPE = 12;
const CALIBRATION_MID = 0.32;
const MAX_CONFIDENCE = 0.97;
/** A word that is also in the item's brand counts this much: a brand can be a common word ("Crane", "Apple"). */
const BRAND_FACTOR = 0.2;
/** A word split out of an unknown compound ("pedalstraps" → pedal, strap) counts this much. */
const COMPOUND_FACTOR = 0.8;
/** Compounds are split only into parts this long, both known words (or one a stop word: "wheelset"). */
const COMPOUND_PART = 3;

const STOPWORDS = new Set(
  (
    'a an and or the of for with without in on at to from by as is are be our your you we it its this that these ' +
    'those new set pack pcs pc piece pieces size sizes color colour black white red blue green grey gray pink ' +
    'yellow brown orange purple silver gold beige navy one two three per x xs s m l xl xxl xxxl mm cm m kg g ml ' +
    'oz lb inch inches made make use used using best great perfect premium quality style classic other more all ' +
    'item product products accessory accessories supply supplies part parts kit kits featured'
  ).split(' '),
);

const IRREGULAR: Readonly<Record<string, string>> = {
  knives: 'knife',
  shelves: 'shelf',
  leaves: 'leaf',
  scarves: 'scarf',
  wolves: 'wolf',
  halves: 'half',
  loaves: 'loaf',
  women: 'woman',
  men: 'man',
  children: 'child',
  feet: 'foot',
  teeth: 'tooth',
  mice: 'mouse',
  geese: 'goose',
  dice: 'die',
  glasses: 'glass',
  jeans: 'jean',
  series: 'series',
  species: 'species',
};

const ES_PLURAL = /(?:ss|x|ch|sh|zz)es$/;
const NOT_PLURAL = /(?:ss|us|is|ys)$/;

/** Simple English singular: "Wallets"→wallet, "Dresses"→dress, "Accessories"→accessory, "Boxes"→box. */
export function stemWord(word: string): string {
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  if (word.length <= 3) return word;
  if (!word.endsWith('s')) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (ES_PLURAL.test(word)) return word.slice(0, -2);
  if (word.endsWith('oes') && word.length > 5) return word.slice(0, -2);
  if (!NOT_PLURAL.test(word)) return word.slice(0, -1);
  return word;
}

/** Everyday words for what the taxonomy names otherwise. */
const SYNONYMS: Readonly<Record<string, string>> = {
  bike: 'bicycle',
  ebike: 'bicycle',
  tv: 'television',
  cellphone: 'phone',
  couch: 'sofa',
  hoody: 'hoodie',
  sneaker: 'shoe',
  trainer: 'shoe',
  nappy: 'diaper',
  pram: 'stroller',
  tyre: 'tire',
  colour: 'color',
  // The taxonomy's "Cycling" holds the bicycle nodes: a bicycle word reaches them through it, and "cycling" the item.
  cycling: 'bicycle',
};

const NON_WORD = /[^a-z0-9]+/;
const JOINERS = /(?<=[a-z0-9])['’‐-](?=[a-z0-9])/g;
const DIACRITICS = /\p{M}+/gu;

const NON_ASCII = /[^\x00-\x7f]/;
/** Raw word → its stemmed, synonym-mapped form ('' for a stop word); bounded, a feed's vocabulary repeats. */
const wordMemo = new Map<string, string>();
const MAX_WORD_MEMO = 50_000;

function normalWord(raw: string): string {
  let word = wordMemo.get(raw);
  if (word !== undefined) return word;
  if (raw.length < 2 || STOPWORDS.has(raw) || (raw.charCodeAt(0) >= 48 && raw.charCodeAt(0) <= 57)) word = '';
  else {
    const stemmed = stemWord(raw);
    word = SYNONYMS[stemmed] ?? stemmed;
    if (STOPWORDS.has(word)) word = '';
  }
  if (wordMemo.size >= MAX_WORD_MEMO) wordMemo.clear();
  wordMemo.set(raw, word);
  return word;
}

/** Lower-case, accent-free, stemmed words of a text, stop words and bare numbers left out. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let lower = text.toLowerCase();
  if (NON_ASCII.test(lower)) lower = lower.normalize('NFKD').replace(DIACRITICS, '');
  for (const raw of lower.replace(JOINERS, '').split(NON_WORD)) {
    const word = normalWord(raw);
    if (word) out.push(word);
  }
  return out;
}

interface SuggestIndex {
  ids: Int32Array;
  paths: string[];
  /** Node index → its parent's index, -1 for a top-level category. */
  parents: Int32Array;
  /** Per node: IDF mass of its leaf's words (for coverage). */
  leafMass: Float64Array;
  /** Word → node indexes whose leaf has it. */
  postings: Map<string, Int32Array>;
  /** Per node: the words of its ancestors' names that its own leaf lacks, each once. */
  ancestorWords: Int32Array[];
  /** Leaf word → a small number, for ancestorWords. */
  wordIds: Map<string, number>;
  /** Scratch, per word id: the query's weight × IDF for that word, 0 when the query lacks it. */
  queryScores: Float64Array;
  /** Scratch: each touched node's final score, by its place in the touched list. */
  finals: Float64Array;
  idf: Map<string, number>;
  /** Keyword (one word, or two words joined by a space) → node indexes. */
  keywords: Map<string, Int32Array>;
  /** Scratch buffers, reused per call (the validator is synchronous): score with keyword hits, and without. */
  scores: Float64Array;
  wordScores: Float64Array;
  covered: Float64Array;
  /** Per node: whether a title or product_type word (not only the description) reached it. */
  strong: Uint8Array;
}

let index: SuggestIndex | undefined;
const indexes = new WeakMap<Taxonomy, SuggestIndex>();

/** Finds data/category-keywords.tsv the way findTaxonomyFile finds the taxonomy. */
export function findKeywordFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, '..', 'data', KEYWORD_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = join(dir, 'libs', 'catalog-rules', 'data', KEYWORD_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`${KEYWORD_FILE} not found beside or above ${here}; it ships in libs/catalog-rules/data.`);
}

/** `keyword<TAB>id<TAB>path` lines (the path is for people; `#` starts a comment). */
export function parseKeywordTable(text: string): Array<{ keyword: string; id: number }> {
  const out: Array<{ keyword: string; id: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [word, id] = line.split('\t');
    const keyword = tokenize(word).join(' ');
    if (keyword && Number.isInteger(Number(id))) out.push({ keyword, id: Number(id) });
  }
  return out;
}

function buildIndex(taxonomy: Taxonomy, keywordText: string): SuggestIndex {
  const ids = [...taxonomy.byId.keys()];
  const n = ids.length;
  const position = new Map<number, number>();
  ids.forEach((id, i) => position.set(id, i));
  const paths = ids.map((id) => taxonomy.byId.get(id)!);
  const pathIndex = new Map<string, number>();
  paths.forEach((path, i) => pathIndex.set(path, i));
  const parents = new Int32Array(n).fill(-1);
  const leafWords: string[][] = [];
  const df = new Map<string, number>();
  const postingLists = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const segments = paths[i].split(' > ');
    if (segments.length > 1) parents[i] = pathIndex.get(segments.slice(0, -1).join(' > ')) ?? -1;
    const words = [...new Set(tokenize(segments[segments.length - 1]))];
    leafWords.push(words);
    for (const word of words) {
      df.set(word, (df.get(word) ?? 0) + 1);
      let list = postingLists.get(word);
      if (!list) postingLists.set(word, (list = []));
      list.push(i);
    }
  }
  const idf = new Map<string, number>();
  for (const [word, count] of df) idf.set(word, Math.log(1 + n / count));
  const leafMass = new Float64Array(n);
  for (let i = 0; i < n; i++) for (const word of leafWords[i]) leafMass[i] += idf.get(word)!;
  const postings = new Map<string, Int32Array>();
  for (const [word, list] of postingLists) postings.set(word, Int32Array.from(list));
  // Parents come before children in the taxonomy file, but do not rely on it: walk each node's chain.
  const wordIds = new Map<string, number>();
  for (const word of postings.keys()) wordIds.set(word, wordIds.size);
  const ancestorWords: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const own = new Set(leafWords[i]);
    const words = new Set<string>();
    for (let p = parents[i]; p >= 0; p = parents[p])
      for (const word of leafWords[p]) if (!own.has(word)) words.add(word);
    ancestorWords.push(Int32Array.from(words, (word) => wordIds.get(word)!));
  }
  const keywordLists = new Map<string, number[]>();
  for (const { keyword, id } of parseKeywordTable(keywordText)) {
    const at = position.get(id);
    if (at === undefined) continue;
    let list = keywordLists.get(keyword);
    if (!list) keywordLists.set(keyword, (list = []));
    if (!list.includes(at)) list.push(at);
  }
  const keywords = new Map<string, Int32Array>();
  for (const [keyword, list] of keywordLists) keywords.set(keyword, Int32Array.from(list));
  return {
    ids: Int32Array.from(ids),
    paths,
    parents,
    leafMass,
    postings,
    ancestorWords,
    wordIds,
    queryScores: new Float64Array(wordIds.size),
    finals: new Float64Array(n),
    idf,
    keywords,
    scores: new Float64Array(n),
    wordScores: new Float64Array(n),
    covered: new Float64Array(n),
    strong: new Uint8Array(n),
  };
}

function suggestIndex(taxonomy?: Taxonomy): SuggestIndex {
  if (taxonomy === undefined || taxonomy === googleTaxonomy()) {
    index ??= buildIndex(googleTaxonomy(), readFileSync(findKeywordFile(), 'utf8'));
    return index;
  }
  let built = indexes.get(taxonomy);
  if (!built) indexes.set(taxonomy, (built = buildIndex(taxonomy, readFileSync(findKeywordFile(), 'utf8'))));
  return built;
}

/** Builds the index now (it is otherwise built on the first suggestion); returns its size for benches. */
export function warmCategorySuggester(): { nodes: number; words: number; keywords: number } {
  const built = suggestIndex();
  return { nodes: built.ids.length, words: built.postings.size, keywords: built.keywords.size };
}

/** Query word → weight: the strongest field it appears in, plus a little for each further field. */
interface Query {
  weights: Map<string, number>;
  /** Title and product_type words in order, for two-word keywords. */
  sequences: string[][];
  /** Words of the title or product_type: a node they reach is not reached by the description alone. */
  strong: Set<string>;
}

/** Unknown compound → its known parts ("pedalstrap" → pedal, strap); [] when it splits into no two known words. */
const compoundMemo = new Map<string, string[]>();

function splitCompound(ix: SuggestIndex, word: string): string[] {
  let parts = compoundMemo.get(word);
  if (parts) return parts;
  parts = [];
  if (word.length >= 2 * COMPOUND_PART && !/\d/.test(word)) {
    const known = (w: string) => ix.postings.has(w) || ix.keywords.has(w);
    // The longest known head first: English compounds end in the thing ("wheelset" is a set of wheels, though).
    for (let at = COMPOUND_PART; at <= word.length - COMPOUND_PART; at++) {
      const head = normalWord(word.slice(0, at));
      const tail = normalWord(word.slice(at));
      const headKnown = head !== '' && known(head);
      const tailKnown = tail !== '' && known(tail);
      const headStop = head === '' && STOPWORDS.has(word.slice(0, at));
      const tailStop = tail === '' && STOPWORDS.has(word.slice(at));
      if (
        (headKnown && tailKnown) ||
        (headKnown && tailStop && at >= 4) ||
        (tailKnown && headStop && word.length - at >= 4)
      ) {
        parts = [head, tail].filter(Boolean);
        break;
      }
    }
  }
  if (compoundMemo.size >= MAX_WORD_MEMO) compoundMemo.clear();
  compoundMemo.set(word, parts);
  return parts;
}

/** Words the index does not know are split if they are two known words written as one. */
function expandCompounds(ix: SuggestIndex, words: string[]): string[] {
  let out: string[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const parts = ix.postings.has(word) || ix.keywords.has(word) ? [] : splitCompound(ix, word);
    if (parts.length) (out ??= words.slice(0, i)).push(...parts);
    else out?.push(word);
  }
  return out ?? words;
}

function queryWeights(ix: SuggestIndex, input: SuggestInput): Query {
  const weights = new Map<string, number>();
  const sequences: string[][] = [];
  const compounds = new Set<string>();
  const brand = new Set(input.brand ? tokenize(input.brand) : []);
  const title = input.title?.trim();
  // "CRANE - eNE", "ABUS - Varedo 47": a first title part of one or two words in capitals, before " - ", is the
  // maker's name written the way shops write brands, whatever the feed's brand field says (often the shop's own).
  const prefix = title ? BRAND_PREFIX.exec(title) : null;
  if (prefix) for (const word of tokenize(prefix[1])) brand.add(word);
  const words = (text: string) => {
    const plain = tokenize(text);
    const expanded = expandCompounds(ix, plain);
    if (expanded !== plain) for (const word of expanded) if (!plain.includes(word)) compounds.add(word);
    return expanded;
  };
  // The brand's words are discounted where the brand is written (title, product_type), not in the description,
  // which names the maker less often than the thing ("Crane Bells": "a brass bicycle bell").
  const addOne = (word: string, weight: number, describes = false) => {
    let w = weight;
    if (!describes && brand.has(word)) w *= BRAND_FACTOR;
    if (compounds.has(word)) w *= COMPOUND_FACTOR;
    const had = weights.get(word);
    weights.set(word, had === undefined ? w : Math.max(had, w) + 0.15 * Math.min(had, w));
  };
  const add = (list: string[], weight: number) => {
    for (let i = 0; i < list.length; i++) if (list.indexOf(list[i]) === i) addOne(list[i], weight);
  };
  const productType = input.productType?.trim();
  // Several values ("The Cult of Mathilda;Story Books Slider") are several classifications, each a path.
  for (const value of productType ? productType.split(PRODUCT_TYPE_VALUES) : []) {
    const segments = value.split(/\s*(?:>|\/|\|)\s*/).filter(Boolean);
    const collection = segments.filter((segment) => COLLECTION_NAME.test(segment));
    const category = segments.filter((segment) => !COLLECTION_NAME.test(segment));
    // A collection's name ("The Cat Captain's Coffers") is no classification: its words count as description words.
    add(words(collection.join(' ')), WEIGHT_DESCRIPTION);
    const upper = words(category.slice(0, -1).join(' '));
    const leaf = words(category[category.length - 1] ?? '');
    add(upper, WEIGHT_PRODUCT_TYPE);
    add(leaf, WEIGHT_PRODUCT_TYPE_LEAF);
    sequences.push(upper, leaf);
  }
  if (title) {
    // "Brand - Product - Variant": the last word of each part may be the thing sold; a part that is only the
    // brand names no thing. The parts' words are the title's words (each is read once).
    const all: string[] = [];
    const heads: string[] = [];
    const parts = title.split(TITLE_PARTS);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (!part) continue;
      // "Hoodie with Zipper", "Filter for Dometic units": the thing comes before the preposition.
      const cut = i < 3 ? part.search(HEAD_ENDS) : -1;
      const thingWords = cut < 0 ? words(part) : words(part.slice(0, cut));
      const partWords = cut < 0 ? thingWords : thingWords.concat(words(part.slice(cut)));
      for (const word of partWords) all.push(word);
      if (i >= 3) continue;
      const things = thingWords.filter((word) => !brand.has(word));
      if (things.length) heads.push(things[things.length - 1]);
      sequences.push(partWords);
    }
    add(all, WEIGHT_TITLE);
    add(heads, WEIGHT_TITLE_HEAD);
  }
  const description = input.description?.trim();
  if (description) {
    // What a description repeats is what it is about ("lock" four times beside one "bank"): a word's weight grows
    // a quarter for each repeat, to twice at most.
    // Its first sentence usually names the thing, as a title does: "Wireless headphones with 30 h battery." The
    // text is read in two pieces, up to that thing and after it, each once.
    const text = description.slice(0, DESCRIPTION_CHARS);
    const sentence = text.search(SENTENCE_END);
    const lead = sentence < 0 ? text : text.slice(0, sentence);
    const head = lead.search(HEAD_ENDS);
    const cut = head < 0 ? lead.length : head;
    const leadWords = words(text.slice(0, cut));
    const counts = new Map<string, number>();
    for (const list of [leadWords, words(text.slice(cut))]) {
      for (const word of list) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    for (const [word, count] of counts) addOne(word, WEIGHT_DESCRIPTION * Math.min(2, 1 + 0.25 * (count - 1)), true);
    if (leadWords.length) addOne(leadWords[leadWords.length - 1], WEIGHT_DESCRIPTION_HEAD, true);
  }
  const strong = new Set<string>();
  for (const seq of sequences) for (const word of seq) strong.add(word);
  return { weights, sequences, strong };
}

/**
 * The most likely taxonomy node for an item, or null when none of its words says anything about a category.
 * Each node's score is the IDF-weighted sum of the item's words found in its leaf, scaled by how much of the
 * leaf they cover, plus keyword-table hits, plus a fraction for words found in its ancestors' names.
 */
export function suggestCategoryForItem(input: SuggestInput, taxonomy?: Taxonomy): CategorySuggestion | null {
  const ix = suggestIndex(taxonomy);
  const { weights, sequences, strong: strongWords } = queryWeights(ix, input);
  if (weights.size === 0) return null;
  const { scores, wordScores, covered, strong } = ix;
  const touched: number[] = [];
  const bump = (node: number, amount: number, mass: number, fromTitle: boolean) => {
    if (scores[node] === 0 && covered[node] === 0) touched.push(node);
    scores[node] += amount;
    covered[node] += mass;
    if (fromTitle) strong[node] = 1;
  };
  const words = [...weights.keys()];
  for (const word of words) {
    const list = ix.postings.get(word);
    if (!list) continue;
    const weight = weights.get(word)!;
    const idf = ix.idf.get(word)!;
    const fromTitle = strongWords.has(word);
    for (let k = 0; k < list.length; k++) {
      bump(list[k], weight * idf, idf, fromTitle);
      wordScores[list[k]] += weight * idf;
    }
  }
  for (let i = 0; i < words.length; i++) {
    const one = ix.keywords.get(words[i]);
    if (!one) continue;
    const weight = weights.get(words[i])!;
    const inLeaves = ix.postings.get(words[i]);
    const idf = ix.idf.get(words[i]) ?? 0;
    const fromTitle = strongWords.has(words[i]);
    for (let k = 0; k < one.length; k++) {
      // A keyword names a node for a word its leaf lacks ("tee" → Shirts & Tops); for a word its leaf has ("lock" →
      // Locks & Keys) the leaf already scored it, and the keyword only prefers that node to the word's other leaves,
      // so that context ("bicycle lock") still decides between them.
      if (inLeaves && hasNode(inLeaves, one[k])) {
        bump(one[k], weight * Math.max(KEYWORD_PREFERENCE, KEYWORD_IDF - idf), 0, fromTitle);
      } else bump(one[k], weight * KEYWORD_IDF, ix.leafMass[one[k]], fromTitle);
    }
  }
  // Two-word keywords ("tank top", "phone case") from adjacent title and product_type words.
  for (const seq of sequences) {
    for (let i = 0; i + 1 < seq.length; i++) {
      const two = ix.keywords.get(`${seq[i]} ${seq[i + 1]}`);
      if (!two) continue;
      const weight = Math.max(weights.get(seq[i])!, weights.get(seq[i + 1])!);
      for (let k = 0; k < two.length; k++) bump(two[k], weight * KEYWORD_IDF * 1.2, ix.leafMass[two[k]], true);
    }
  }
  if (touched.length === 0) return null;

  // Only nodes within reach of the best raw score can win once ancestors add theirs: a word shared by hundreds of
  // leaves ("care", "set") touches them all, and scoring every one of them in full is most of the cost.
  let maxRaw = 0;
  for (const node of touched) if (scores[node] > maxRaw) maxRaw = scores[node];
  const cutoff = maxRaw * CANDIDATE_SHARE;
  const { queryScores } = ix;
  const queried: number[] = [];
  for (const [word, weight] of weights) {
    const id = ix.wordIds.get(word);
    if (id === undefined) continue;
    queryScores[id] = weight * ix.idf.get(word)!;
    queried.push(id);
  }
  let best = -1;
  let bestScore = 0;
  const { finals } = ix; // touched holds each node once: never longer than the taxonomy
  for (let t = 0; t < touched.length; t++) {
    const node = touched[t];
    finals[t] = 0;
    if (scores[node] < cutoff) continue;
    // Coverage: a leaf whose every word the item used beats a long leaf it shares one word with.
    const coverage = ix.leafMass[node] > 0 ? Math.min(1, covered[node] / ix.leafMass[node]) : 1;
    let score = scores[node] * (0.55 + 0.45 * coverage);
    // Reached by description words alone: a passing mention ("design", "light") is weak evidence.
    if (!strong[node]) score *= DESCRIPTION_ONLY_FACTOR;
    // Words of its ancestors' names count a fraction, each once however many ancestors repeat it (a deep node
    // under "Vehicle Alarms & Locks > Vehicle Door Locks & Parts" must not score "lock" three times), and so, a
    // little, does the strongest keyword hit on an ancestor: "Bicycle Parts > Bicycle Wheels" for "bike wheel".
    const ancestorWords = ix.ancestorWords[node];
    for (let k = 0; k < ancestorWords.length; k++) score += ANCESTOR_FACTOR * queryScores[ancestorWords[k]];
    let ancestorKeyword = 0;
    for (let p = ix.parents[node]; p >= 0; p = ix.parents[p]) {
      ancestorKeyword = Math.max(ancestorKeyword, scores[p] - wordScores[p]);
    }
    score += 0.15 * ancestorKeyword;
    finals[t] = score;
    if (score > bestScore || (score === bestScore && best >= 0 && ix.paths[node].length < ix.paths[best].length)) {
      best = node;
      bestScore = score;
    }
  }
  // The runner-up that is neither above nor below the winner: a sibling branch is a real alternative, a parent is not.
  let second = 0;
  for (let t = 0; t < touched.length; t++) {
    const node = touched[t];
    if (node === best || finals[t] <= second) continue;
    if (isAncestor(ix, node, best) || isAncestor(ix, best, node)) continue;
    second = finals[t];
  }
  for (const id of queried) queryScores[id] = 0;
  for (const node of touched) {
    scores[node] = 0;
    wordScores[node] = 0;
    covered[node] = 0;
    strong[node] = 0;
  }
  if (best < 0 || bestScore <= 0) return null;
  const strength = bestScore / (bestScore + CONFIDENCE_SCALE);
  const margin = (bestScore - second) / bestScore;
  const raw = strength * (0.35 + 0.65 * margin);
  const confidence =
    Math.round(Math.min(MAX_CONFIDENCE, 1 / (1 + Math.exp(-CALIBRATION_SLOPE * (raw - CALIBRATION_MID)))) * 100) / 100;
  return { id: ix.ids[best], path: ix.paths[best], confidence };
}

/** Whether a sorted posting list holds a node. */
function hasNode(list: Int32Array, node: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === node) return true;
    if (list[mid] < node) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function isAncestor(ix: SuggestIndex, ancestor: number, node: number): boolean {
  for (let p = ix.parents[node]; p >= 0; p = ix.parents[p]) if (p === ancestor) return true;
  return false;
}
