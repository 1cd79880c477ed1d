export * from './feed-rule.types.js';
export { validateFeedRules, feedRulesToStore, FEED_RULE_LIMITS, type ValidateOptions } from './feed-rules.validator.js';
export { compileFeedRules, FeedRulesCompileError } from './feed-rules.compiler.js';
export { linearRegexAvailable } from './linear-regex.js';
