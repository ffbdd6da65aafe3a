#!/usr/bin/env node
// The `herald` command: registers tsx so Node runs the TypeScript CLI as it is, no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
