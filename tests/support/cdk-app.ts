export { BASE_CONTEXT, CdkApps } from '../../infra/harness/cdk-apps';
