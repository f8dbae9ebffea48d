/**
 * The child side of `runChild` (bench/e2e.ts): the input comes as JSON in an environment variable,
 * the figures go back to the bench as one IPC message, and the exit code says whether it worked.
 */
export function runAsChild<Input, Output>(
  variable: string,
  measure: (input: Input) => Promise<Output>,
): void {
  const run = async () => {
    const input = JSON.parse(process.env[variable] ?? 'null') as Input | null;
    if (!input) throw new Error(`${variable} is not set: this file is started by bench/run.ts`);
    const output = await measure(input);
    await new Promise<void>((resolve, reject) =>
      process.send
        ? process.send(output, (error: Error | null) => (error ? reject(error) : resolve()))
        : resolve(),
    );
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
