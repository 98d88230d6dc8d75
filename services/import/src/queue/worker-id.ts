import { hostname } from 'node:os';

/** This process, as jobs record who runs them (`import_jobs.workerId`). */
export const WORKER_ID = `${hostname()}:${process.pid}`;
