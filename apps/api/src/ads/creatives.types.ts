import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CREATIVE_TEMPLATES, type CreativeTemplate as Template } from '@brandshelf/media';
import { RenditionFormat } from '../catalog/catalog.types.js';
import { enumOf } from '../graphql/enum-of.js';
import { MutationPayload } from '../graphql/user-error.js';

export const CreativeTemplate = enumOf(CREATIVE_TEMPLATES);
registerEnumType(CreativeTemplate, {
  name: 'CreativeTemplate',
  description: 'The format of an ad creative: its pixel size and layout.',
  valuesMap: {
    SQUARE_1080: {
      description: '1080×1080 (feeds): the image above, a dark panel below with the brand, title (2 lines) and prices.',
    },
    STORY_1080x1920: {
      description:
        '1080×1920 (stories, reels): the brand on a top strip, the image, a panel below with the title (3 lines) and prices.',
    },
    LANDSCAPE_1200x628: {
      description:
        '1200×628 (link ads, display): the image on the left, a panel on the right with the brand, title (4 lines) and prices.',
    },
  },
});

@ObjectType({
  description:
    'An ad creative of a product: its image, title, prices and brand drawn on a template, stored content-addressed ' +
    '(the URL changes whenever what is drawn changes, and the file at a URL never does).',
})
export class Creative {
  @Field(() => ID, {
    description: 'Product.id of the product drawn.',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field(() => CreativeTemplate, { description: 'The template it was drawn on.' }) template: Template;
  @Field({ description: 'Public URL of the file (immutable: cache it as long as you like).' }) url: string;
  @Field(() => Int, { description: 'Width in pixels.' }) width: number;
  @Field(() => Int, { description: 'Height in pixels.' }) height: number;
  @Field(() => RenditionFormat, { description: 'The file format: jpeg (what every ad platform accepts).' })
  format: RenditionFormat;
  @Field({
    description:
      'The content key: a hash of the layout version, template, image rendition, title, prices and brand name. ' +
      'The same key means the same pixels.',
  })
  key: string;
  @Field({
    description:
      'True when the file with this key was stored already and nothing was rendered for this call (always true in ' +
      'Product.creatives).',
  })
  reused: boolean;
}

@InputType({ description: 'The product and template of a creative.' })
export class RenderCreativeInput {
  @Field(() => ID, { description: 'Product.id of one of the brand’s live products.' }) productId: string;
  @Field(() => CreativeTemplate, { description: 'The format to draw it in.' }) template: Template;
}

@ObjectType({ description: 'What renderCreative did.' })
export class RenderCreativePayload extends MutationPayload {
  @Field(() => Creative, { nullable: true, description: 'The creative; null when userErrors says why not.' })
  creative?: Creative | null;
}
