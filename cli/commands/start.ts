/** `herald start`: the local stack in the foreground, exactly as `npm start` runs it. */
export async function startCommand(): Promise<void> {
  await import('#infra/local/main.ts');
}
