import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { ProductAttribute as Attribute, SetOperator } from '@brandshelf/ads';
import { PRODUCT_ATTRIBUTES, SET_OPERATORS } from '@brandshelf/ads';
import { Product } from '../catalog/catalog.types.js';
import { connectionType } from '../graphql/connection.js';
import { enumOf } from '../graphql/enum-of.js';
import { Node } from '../graphql/node.js';
import { UserError } from '../graphql/user-error.js';

export const ProductAttribute = enumOf(PRODUCT_ATTRIBUTES);
registerEnumType(ProductAttribute, {
  name: 'ProductAttribute',
  description: 'An attribute of a live product that a product set can filter on.',
  valuesMap: {
    BRAND: { description: 'The brand name the feed gives (g:brand), case-insensitive.' },
    CATEGORY: {
      description:
        'Google product category, by id or path; IS, IS_NOT and IS_ANY_OF include its subcategories ' +
        '("Apparel & Accessories" matches "Apparel & Accessories > Shoes").',
    },
    PRODUCT_TYPE: { description: "The brand's own category path (product_type); IS includes what lies below it." },
    PRICE: { description: 'The price a shopper pays (the sale price when on sale), in the condition’s currency.' },
    AVAILABILITY: { description: 'IN_STOCK, OUT_OF_STOCK, PREORDER or BACKORDER.' },
    CONDITION: { description: 'NEW, REFURBISHED or USED.' },
    COLOR: { description: 'The color, case-insensitive.' },
    SIZE: { description: 'The size, case-insensitive.' },
    GENDER: { description: 'MALE, FEMALE or UNISEX.' },
    CUSTOM_LABEL_0: { description: 'custom_label_0 of the feed, case-insensitive.' },
    CUSTOM_LABEL_1: { description: 'custom_label_1 of the feed, case-insensitive.' },
    CUSTOM_LABEL_2: { description: 'custom_label_2 of the feed, case-insensitive.' },
    CUSTOM_LABEL_3: { description: 'custom_label_3 of the feed, case-insensitive.' },
    CUSTOM_LABEL_4: { description: 'custom_label_4 of the feed, case-insensitive.' },
    TITLE: { description: 'The title, case-insensitive.' },
    ID: { description: "The feed's id of the product (g:id, offer id), case-insensitive." },
    ON_SALE: { description: 'Whether a sale price below the price applies: IS "true" or "false".' },
  },
});

export const ProductSetOperator = enumOf(SET_OPERATORS);
registerEnumType(ProductSetOperator, {
  name: 'ProductSetOperator',
  description: 'How a condition compares an attribute with its values.',
  valuesMap: {
    IS: { description: 'Equals the one value (case-insensitive; paths include what lies below).' },
    IS_NOT: { description: 'Does not equal the one value; a product without the attribute matches.' },
    CONTAINS: { description: 'Contains the one value as text (case-insensitive).' },
    STARTS_WITH: { description: 'Starts with the one value (case-insensitive).' },
    IS_ANY_OF: { description: 'Equals any of the values (1 to 500).' },
    LESS_THAN: { description: 'PRICE below the one amount.' },
    GREATER_THAN: { description: 'PRICE above the one amount.' },
  },
});

@InputType({ description: 'One condition on one attribute.' })
export class ProductSetConditionInput {
  @Field(() => ProductAttribute, { description: 'The attribute compared.' }) attribute: Attribute;
  @Field(() => ProductSetOperator, { description: 'How it is compared.' }) operator: SetOperator;
  @Field(() => [String], {
    description: 'The value (or, for IS_ANY_OF, the values); amounts as decimal strings, e.g. "49.90".',
  })
  values: string[];
  @Field(() => String, { nullable: true, description: 'PRICE only: the currency of the amounts (ISO 4217).' })
  currency?: string | null;
}

@InputType({
  description:
    'A node of a product set’s rules: exactly one of all (every rule holds), any (at least one holds) or condition. ' +
    'At most 5 levels of all/any and 50 conditions.',
})
export class ProductSetRuleInput {
  @Field(() => [ProductSetRuleInput], { nullable: true, description: 'Every one of these rules holds (AND).' })
  all?: ProductSetRuleInput[] | null;
  @Field(() => [ProductSetRuleInput], { nullable: true, description: 'At least one of these rules holds (OR).' })
  any?: ProductSetRuleInput[] | null;
  @Field(() => ProductSetConditionInput, { nullable: true, description: 'A condition on one attribute.' })
  condition?: ProductSetConditionInput | null;
}

@ObjectType({ description: 'One condition of a product set, as stored (values normalized).' })
export class ProductSetCondition {
  @Field(() => ProductAttribute, { description: 'The attribute compared.' }) attribute: Attribute;
  @Field(() => ProductSetOperator, { description: 'How it is compared.' }) operator: SetOperator;
  @Field(() => [String], { description: 'The values; categories as Google paths, amounts as decimal strings.' })
  values: string[];
  @Field(() => String, { nullable: true, description: 'PRICE only: the currency of the amounts.' })
  currency?: string | null;
}

@ObjectType({ description: 'A node of a product set’s rules: one of all, any or condition is set.' })
export class ProductSetRule {
  @Field(() => [ProductSetRule], { nullable: true, description: 'Every one of these rules holds (AND).' })
  all?: ProductSetRule[] | null;
  @Field(() => [ProductSetRule], { nullable: true, description: 'At least one of these rules holds (OR).' })
  any?: ProductSetRule[] | null;
  @Field(() => ProductSetCondition, { nullable: true, description: 'A condition on one attribute.' })
  condition?: ProductSetCondition | null;
}

@ObjectType({
  description: "A brand's saved product set: a filter over its live catalog, for campaigns and exports.",
  implements: () => [Node],
})
export class ProductSet {
  @Field(() => ID, { description: 'Global id of the set.' }) id: string;
  @Field({ description: 'Its name, unique within the brand (case-insensitive).' }) name: string;
  @Field(() => ProductSetRule, { description: 'Its rules.' }) rules: ProductSetRule;
  @Field({ description: 'When it was created.' }) createdAt: Date;
  @Field({ description: 'When its name or rules last changed.' }) updatedAt: Date;
}

export const ProductSetConnection = connectionType(ProductSet, 'ProductSet', {
  one: 'A product set',
  many: 'product sets',
  description: "A page of the brand's product sets, oldest first.",
});

@ObjectType({ description: 'The live products some rules select, now.' })
export class ProductSetMembers {
  @Field(() => Int, { description: 'How many of the brand’s live products the rules select.' }) count: number;
  @Field(() => [Product], {
    description: 'A sample of them, newest first (as many as `sample` asked, at most 50): a fixed-size sample.',
  })
  sample: Product[];
}

@InputType({ description: 'A new product set.' })
export class CreateProductSetInput {
  @Field({ description: 'Its name, 1 to 200 characters, unique within the brand.' }) name: string;
  @Field(() => ProductSetRuleInput, { description: 'Its rules.' }) rules: ProductSetRuleInput;
}

@InputType({ description: 'Changes to a product set; only the fields given change.' })
export class UpdateProductSetInput {
  @Field(() => ID, { description: 'ProductSet.id of the set.' }) productSetId: string;
  @Field(() => String, { nullable: true, description: 'A new name.' }) name?: string | null;
  @Field(() => ProductSetRuleInput, { nullable: true, description: 'New rules, replacing the old ones.' })
  rules?: ProductSetRuleInput | null;
}

@InputType({ description: 'The product set to delete.' })
export class DeleteProductSetInput {
  @Field(() => ID, { description: 'ProductSet.id of the set.' }) productSetId: string;
}

@ObjectType({ description: 'What createProductSet or updateProductSet did.' })
export class ProductSetPayload {
  @Field(() => ProductSet, { nullable: true, description: 'The set as saved; null when userErrors says why not.' })
  productSet?: ProductSet | null;
  @Field(() => [UserError], { description: 'Why nothing was saved (bad rules, a name taken); empty on success.' })
  userErrors: UserError[];
}

@ObjectType({ description: 'What deleteProductSet did.' })
export class DeleteProductSetPayload {
  @Field(() => ID, { nullable: true, description: 'ProductSet.id of the set deleted.' })
  deletedProductSetId?: string | null;
  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors: UserError[];
}
