import { loadConfig } from '../service/config';

/** Read and checked once per cold start; handlers without AWS clients need only this. */
export const config = loadConfig(process.env);
