// The JavaScript entry of `scoredrive/evaluate`: the package ships TypeScript (no build step,
// as for the CLI), so this loads it through tsx's scoped loader, which registers nothing
// globally in the importing process.
import { tsImport } from 'tsx/esm/api';

const api = await tsImport('./index.ts', import.meta.url);

export const { evaluateCode, offlineAppSyncClient, BadRequestException } = api;
