import { createInterface } from 'node:readline/promises';
import { run } from './main';

// The laptop's emulators need no real credentials; the SDK's notice about old Node versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Local targets: the emulators take any credentials, in any region. With --stack, the operator's own.
if (!process.argv.includes('--stack')) {
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

const ask = async (question: string) => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
};

process.exitCode = await run(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    stdout: process.stdout,
    err: (text) => process.stderr.write(text),
    isTerminal: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    env: process.env,
    nowMs: () => Date.now(),
  },
  ask,
);
