#!/usr/bin/env node
// The `topolog` command: runs the TypeScript server through tsx (a runtime dependency), in production mode.
import { register } from 'tsx/esm/api';

process.env.NODE_ENV ??= 'production';
register();
await import('../server/main.ts');
