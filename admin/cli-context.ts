import type { Command } from 'commander';
import { AppError } from '../functions/core/errors';
import type { Format } from './output';
import { type Io, open, Refused, type Session, Usage } from './session';

/** Every `--format` value some command takes; each command takes its own few (formatIn). */
export const ANY_FORMAT = ['table', 'json', 'csv', 'jsonl'] as const;
export type AnyFormat = (typeof ANY_FORMAT)[number];

/** The options given anywhere on the line, read by every command. */
export interface Globals {
  readonly format?: AnyFormat;
  readonly table: string;
  readonly yes: boolean;
  readonly as?: string;
  readonly stack?: string;
  readonly region?: string;
}

/** What each command is defined with: the program, its globals, a session per run, the prompt. */
export interface CliContext {
  readonly cli: Command;
  readonly io: Io;
  readonly ask: (question: string) => Promise<string>;
  global(): Globals;
  /** `--format` as this command means it: one of `allowed` (the first when none is given), else a usage error. */
  formatIn<F extends AnyFormat>(command: string, allowed: readonly F[]): F;
  withSession(run: (session: Session) => Promise<void>): Promise<void>;
}

export function cliContext(cli: Command, io: Io, ask: (question: string) => Promise<string>): CliContext {
  const global = () => cli.opts<Globals>();
  return {
    cli,
    io,
    ask,
    global,
    formatIn: (command, allowed) => {
      const given = global().format;
      if (given === undefined) return allowed[0]!;
      if (!(allowed as readonly string[]).includes(given)) {
        throw new Usage(`${command} --format is ${allowed.join(' or ')}, not ${given}.`);
      }
      return given as (typeof allowed)[number];
    },
    withSession: async (run) => {
      const session = await open(io, global());
      try {
        await run(session);
      } catch (error) {
        // The use cases' refusals (a wrong state, no such account) are the operator's to act on.
        if (error instanceof AppError) throw new Refused(error.message);
        throw error;
      } finally {
        await session.target.close();
      }
    },
  };
}

/** Formats for rows: the table for people, JSON for scripts, CSV for spreadsheets. */
export const ROW_FORMATS: readonly Extract<Format, AnyFormat>[] = ['table', 'json', 'csv'];
/** Formats for one answer: a line for people, JSON for scripts. */
export const LINE_FORMATS = ['table', 'json'] as const;
