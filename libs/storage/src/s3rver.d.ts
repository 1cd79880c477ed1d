// s3rver (test-only S3 server) ships no types.
declare module 's3rver';
