export { itemCountingClient, SWEEP_POLICY, seedContractors, seededContractor, tableSweepDeps } from '../../infra/harness/table-sweep';
