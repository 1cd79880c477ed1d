import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CreativesService, type Creative as StoredCreative } from '@brandshelf/ads';
import { APP_CONFIG, type AppConfig, type BrandContext } from '@brandshelf/core';
import { Auth } from '../graphql/auth.guard.js';
import { fromGlobalId, toGlobalId } from '../graphql/global-id.js';
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
