import { useState } from 'react';
import { payload, request } from '../client';
import { graphql } from '../gql';
import type { CreativeTemplate } from '../gql/graphql';
import { useApiKey } from '../session';
import { ErrorMessage, Loading, Select, useAction, useQuery } from '../ui';

const ProductCreatives = graphql(`
  query ConsoleProductCreatives($id: ID!) {
    product(id: $id) {
      id
      title
      creatives {
        key
        template
        url
        width
        height
      }
    }
  }
`);

const RenderCreative = graphql(`
  mutation ConsoleRenderCreative($input: RenderCreativeInput!) {
    renderCreative(input: $input) {
      creative {
        key
        template
        url
        width
        height
        reused
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`);

const TEMPLATES: readonly (readonly [CreativeTemplate, string])[] = [
  ['SQUARE_1080', 'Square 1080×1080 (feeds)'],
  ['STORY_1080x1920', 'Story 1080×1920 (stories, reels)'],
  ['LANDSCAPE_1200x628', 'Landscape 1200×628 (link ads, display)'],
];

/** A product's ad creatives: the ones rendered of it as it is now, and a template to render another. */
export function Creatives({ productId, title }: { productId: string; title: string }) {
  const apiKey = useApiKey();
  const product = useQuery(ProductCreatives, { id: productId }, apiKey);
  const [template, setTemplate] = useState<CreativeTemplate>('SQUARE_1080');
  const [rendered, setRendered] = useState<{ url: string; reused: boolean; template: string } | null>(null);
  const render = useAction(async () => {
    const { renderCreative } = await request(RenderCreative, { input: { productId, template } }, apiKey);
    const creative = payload(renderCreative).creative!;
    setRendered({ url: creative.url, reused: creative.reused, template: creative.template });
    product.reload();
  });
  const creatives = product.data?.product?.creatives ?? [];
  return (
    <section className="card" aria-labelledby="creatives-title">
      <h3 id="creatives-title">Ad creatives: {title}</h3>
      <div className="inline-form">
        <Select
          label="Template"
          value={template}
          onChange={(e) => setTemplate(e.target.value as CreativeTemplate)}
          options={TEMPLATES}
        />
        <div className="field">
          <button type="button" className="primary" onClick={() => void render.run()} disabled={render.pending}>
            {render.pending ? 'Rendering…' : 'Render creative'}
          </button>
        </div>
      </div>
      <ErrorMessage error={render.error ?? product.error} />
      {rendered ? (
        <p className="success" role="status">
          {rendered.reused ? 'Already rendered: the same file is reused.' : 'Rendered.'}{' '}
          <a href={rendered.url}>Open the {rendered.template} file</a>
        </p>
      ) : null}
      {product.loading && !product.data ? <Loading what="Loading creatives" /> : null}
      {product.data && creatives.length === 0 ? (
        <p className="muted">No creative of this product as it is now: render one.</p>
      ) : null}
      <ul className="creatives">
        {creatives.map((c) => (
          <li key={c.key}>
            <a href={c.url}>
              <img
                src={c.url}
                width={c.width}
                height={c.height}
                alt={`${title}: ${c.template} creative`}
                loading="lazy"
              />
            </a>
            <span className="small muted">
              {c.template} · {c.width}×{c.height}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
