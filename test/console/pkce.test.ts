import { describe, expect, it } from 'vitest';
import { challengeOf, createVerifier } from '../../console/src/pkce.ts';

describe('console PKCE', () => {
  it('creates 43-character verifiers from the unreserved base64url alphabet, each different', () => {
    const verifier = createVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createVerifier()).not.toBe(verifier);
  });

  // The verifier is the base64url of appendix B's 32 octets (116, 24, 223, …, 121).
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});
