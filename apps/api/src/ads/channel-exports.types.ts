import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EXPORT_CHANNELS, EXPORT_CHECKS, type ExportChannel as Channel, type ExportCheck } from '@brandshelf/ads';
import { connectionType } from '../graphql/connection.js';
import { enumOf } from '../graphql/enum-of.js';
import { Node } from '../graphql/node.js';
import { UserError } from '../graphql/user-error.js';

export const ExportChannel = enumOf(EXPORT_CHANNELS);
registerEnumType(ExportChannel, {
  name: 'ExportChannel',
  description: 'Where a channel export goes, which decides its format, field names, limits and checks.',
  valuesMap: {
    GOOGLE: { description: 'Google Merchant Center: RSS 2.0 with the g: namespace, at /exports/<token>.xml.' },
    META: { description: 'Meta (Facebook, Instagram) catalog: CSV with Meta’s field names, at /exports/<token>.csv.' },
    TIKTOK: { description: 'TikTok catalog: CSV with TikTok’s field names (sku_id…), at /exports/<token>.csv.' },
  },
});

export const ExportCheckEnum = enumOf(EXPORT_CHECKS);
registerEnumType(ExportCheckEnum, {
  name: 'ExportCheck',
  description: 'A channel’s policy check on a product before export.',
  valuesMap: {
    MISSING_REQUIRED_FIELD: {
      description: 'A field the channel requires is missing (or the id is longer than it takes). Required.',
    },
    TITLE_TOO_LONG: {
      description: 'The title is longer than the channel takes (Google 150, Meta 200, TikTok 150). Required.',
    },
    PROMOTIONAL_TITLE: {
      description: 'The title carries promotional text ("free shipping", "sale", "best price"…). Required.',
    },
    IMAGE_TOO_SMALL: { description: 'The main image is smaller than 500×500 (Meta, TikTok). Required.' },
    MISSING_GTIN: { description: 'No GTIN (Google advises one). Advisory: the product still goes out.' },
  },
});

@ObjectType({ description: 'How many products of an export one check found.' })
export class ExportCheckCount {
  @Field(() => ExportCheckEnum, { description: 'The check.' }) check: ExportCheck;
  @Field(() => Int, { description: 'Products it found.' }) count: number;
}

@ObjectType({ description: 'One check one product of an export failed.' })
export class ChannelExportIssue {
  @Field(() => ID, {
    description:
      'Key of this finding (the product and the check), stable across reads for caching. Findings are computed on ' +
      'each read from the live catalog, not stored: not a Node, and node(id:) does not take this key.',
  })
  id: string;
  @Field(() => ID, {
    description: 'Product.id of the product.',
    deprecationReason: 'Use product { id } (null once the product is no longer live; this id stays).',
  })
  productId: string;
  @Field({ description: 'The feed’s id of the product (g:id).' }) offerId: string;
  @Field(() => ExportCheckEnum, { description: 'The check it failed.' }) check: ExportCheck;
  @Field({ description: 'Whether the check is required: then the product is left out of the export.' })
  required: boolean;
  @Field({ description: 'What is wrong, in words.' }) message: string;
}

export const ChannelExportIssueConnection = connectionType(ChannelExportIssue, 'ChannelExportIssue', {
  one: 'A finding',
  many: 'findings',
  description: 'A page of an export’s findings, in product order (at most the first 10,000 findings).',
});

@ObjectType({
  description: "A brand's export of its live catalog, or one product set, to a channel.",
  implements: () => [Node],
})
export class ChannelExport {
  @Field(() => ID, { description: 'Global id of the export.' }) id: string;
  @Field(() => ExportChannel, { description: 'The channel it is for.' }) channel: Channel;
  @Field(() => ID, {
    nullable: true,
    description: 'ProductSet.id of the set exported; null for the whole catalog.',
    deprecationReason: 'Use productSet { id }.',
  })
  productSetId: string | null;
  @Field({ description: 'When it was created.' }) createdAt: Date;
  @Field({ description: 'When its token (and so its URL) was last made.' }) tokenRotatedAt: Date;
}

export const ChannelExportConnection = connectionType(ChannelExport, 'ChannelExport', {
  one: 'A channel export',
  many: 'channel exports',
  description: "A page of the brand's channel exports, oldest first.",
});

@InputType({ description: 'A new channel export.' })
export class CreateChannelExportInput {
  @Field(() => ExportChannel, { description: 'The channel.' }) channel: Channel;
  @Field(() => ID, { nullable: true, description: 'ProductSet.id of a set to export; the whole live catalog without.' })
  productSetId?: string | null;
}

@InputType({ description: 'The export whose token changes.' })
export class RotateChannelExportTokenInput {
  @Field(() => ID, { description: 'ChannelExport.id of the export.' }) channelExportId: string;
}

@InputType({ description: 'The export to delete.' })
export class DeleteChannelExportInput {
  @Field(() => ID, { description: 'ChannelExport.id of the export.' }) channelExportId: string;
}

@ObjectType({ description: 'What createChannelExport or rotateChannelExportToken did.' })
export class ChannelExportPayload {
  @Field(() => ChannelExport, { nullable: true, description: 'The export; null when userErrors says why not.' })
  channelExport?: ChannelExport | null;
  @Field(() => String, {
    nullable: true,
    description: 'Its URL, with the token: shown this once (only a hash is kept); give it to the channel.',
  })
  url?: string | null;
  @Field(() => [UserError], { description: 'Expected failures (a set not found); empty on success.' })
  userErrors: UserError[];
}

@ObjectType({ description: 'What deleteChannelExport did.' })
export class DeleteChannelExportPayload {
  @Field(() => ID, { nullable: true, description: 'ChannelExport.id of the export deleted.' })
  deletedChannelExportId?: string | null;
  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors: UserError[];
}
