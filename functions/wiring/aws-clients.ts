/**
 * Every AWS client, for callers that are not bundled (the admin CLI, tools, tests). Functions
 * import the one module per client they create, so their bundles carry no other client.
 */
export { controlPlaneHandler } from './client-options';
export { dynamoDocumentClient } from './dynamodb-client';
export { secretsManagerClient } from './secrets-manager-client';
export { sesClient } from './ses-client';
