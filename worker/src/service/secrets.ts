/**
 * Secrets in the config file are references: `{ env: NAME }` or `{ file: path }`. Inline strings are
 * refused unless the file says `allowInlineSecrets: true`, so a config file can be shared or committed.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export interface SecretSources {
  env: Record<string, string | undefined>;
  readFile(path: string): string;
  allowInline: boolean;
}

const SENSITIVE_HEADER = /authorization|cookie|token|secret|key|password/i;

/** Header names whose values are treated as secrets (refused inline, redacted in API answers). */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

export const secretRefSchema = z.union([
  z.string().min(1),
  z.strictObject({ env: z.string().min(1) }),
  z.strictObject({ file: z.string().min(1) }),
]);
export type SecretRef = z.infer<typeof secretRefSchema>;

export function defaultSecretSources(allowInline = false): SecretSources {
  return {
    env: process.env,
    readFile: (path) => readFileSync(path, "utf8"),
    allowInline,
  };
}

/** The secret's value, or an error sentence that names where it was looked for (never the value). */
export function resolveSecret(ref: SecretRef, sources: SecretSources): { value: string } | { error: string } {
  if (typeof ref === "string") {
    if (!sources.allowInline) {
      return {
        error:
          "inline secrets are not allowed: use { env: VARIABLE_NAME } or { file: /path/to/file } (or set allowInlineSecrets: true)",
      };
    }
    return { value: ref };
  }
  if ("env" in ref) {
    const value = sources.env[ref.env];
    if (!value) return { error: `environment variable ${ref.env} is not set` };
    return { value };
  }
  try {
    const value = sources.readFile(ref.file).trim();
    if (!value) return { error: `secret file ${ref.file} is empty` };
    return { value };
  } catch (err) {
    return {
      error: `cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
    };
  }
}
