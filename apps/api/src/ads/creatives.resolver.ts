import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CreativesService, type Creative as StoredCreative } from '@brandshelf/ads';
import { APP_CONFIG, type AppConfig, type BrandContext } from '@brandshelf/core';
import { CREATIVE_TEMPLATES } from '@brandshelf/media';
import type { CatalogProduct } from '@brandshelf/search';
import { Product } from '../catalog/catalog.types.js';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
import { STATEMENT, cost } from '../graphql/query-limits.js';
import { Ctx } from '../graphql/request-context.decorator.js';
import { mutationPayload } from '../graphql/user-error.js';
import { Gate } from '../overload/gate.js';
import { Creative, RenderCreativeInput, RenderCreativePayload } from './creatives.types.js';

/** Longest a render waits for a slot before it is refused OVERLOADED. */
const RENDER_QUEUE_TIMEOUT_MS = 30_000;

function toApi(creative: StoredCreative): Creative {
  return {
    productId: toGlobalId('Product', creative.productId),
    template: creative.template,
    url: creative.url,
    width: creative.width,
    height: creative.height,
    format: creative.format,
    key: creative.key,
    reused: creative.reused,
  };
}

@Auth('brand')
@Resolver(() => Creative)
export class CreativesResolver {
  /**
   * Renders are CPU work in libvips (off the event loop, on libuv's pool): at most CREATIVE_RENDER_CONCURRENCY run
   * at once per process, so they neither starve image processing nor the pool's file and DNS work.
   */
  private readonly gate: Gate;

  constructor(
    @Inject(CreativesService) private readonly creatives: CreativesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const concurrency = config.creatives.renderConcurrency;
    this.gate = new Gate('creative render', {
      concurrency,
      queue: 8 * concurrency,
      queueTimeoutMs: RENDER_QUEUE_TIMEOUT_MS,
    });
  }

  @Mutation(() => RenderCreativePayload, {
    description:
      'Draws one of the brand’s live products on a template: its main image (largest rendition), title, price (and ' +
      'the regular price struck through when on sale) and brand name. Stored content-addressed and served from ' +
      '/media: the same product and template give the same file without rendering again; a change of what is ' +
      "drawn gives a new one. Another brand's product is NOT_FOUND; a product without a processed image is " +
      'NO_PROCESSED_IMAGE.',
  })
  renderCreative(
    @Ctx() ctx: BrandContext,
    @Args('input', { description: 'The product and template.' }) input: RenderCreativeInput,
  ) {
    return mutationPayload(async () => ({
      creative: toApi(
        await this.creatives.render(
          ctx,
          { productId: fromGlobalId(input.productId, 'Product', 'productId'), template: input.template },
          (render) => this.gate.run(render),
        ),
      ),
    }));
  }
}

/** Product.creatives: public, as the product and its images are (a creator may use a brand's creatives too). */
@Resolver(() => Product)
export class ProductCreativesResolver {
  constructor(@Inject(CreativesService) private readonly service: CreativesService) {}

  @ResolveField(() => [Creative], {
    description:
      'The creatives its brand has rendered of the product as it is now (renderCreative), in template order: one ' +
      'per template at most. A creative of an earlier title, price or image is not listed; render it again.',
    // One batched query per response level, whatever the page size.
    complexity: cost.list(CREATIVE_TEMPLATES.length, STATEMENT),
  })
  async creatives(@Parent() product: CatalogProduct): Promise<Creative[]> {
    return (await this.service.current(product)).map(toApi);
  }
}
