/** Roughly four characters a token, as Bedrock's English-text estimates go. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
