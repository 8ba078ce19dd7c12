export { eventually } from '../../infra/harness/eventually';
