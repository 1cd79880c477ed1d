export * from './feed-rule.types.js';
export { validateFeedRules, FEED_RULE_LIMITS } from './feed-rules.validator.js';
export { compileFeedRules, FeedRulesCompileError } from './feed-rules.compiler.js';
export { parseTemplate, type Template } from './template.js';
export { compileLinearRegex, linearRegexAvailable } from './linear-regex.js';
export { resolveAttribute, type AttributeRef } from './attribute.ref.js';
export { readNumber, type RuleNumber } from './rule-number.js';
