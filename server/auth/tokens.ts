import { randomUUID } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { UnauthorizedError } from "../errors";

export interface TokenSettings {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const ALGORITHM = "HS256";

/**
 * The API's session tokens: HS256 JWTs with iss, aud, sub (the lower-case address), iat, exp and
 * jti. Verification admits HS256 only (so neither "none" nor another algorithm), and this issuer and
 * audience, with no clock tolerance.
 */
export function createTokenService(settings: TokenSettings) {
  return {
    async issue(address: string, now = new Date()): Promise<{ token: string; expiresAt: Date; jti: string }> {
      const iat = Math.floor(now.getTime() / 1000);
      const exp = iat + settings.ttlSeconds;
      const jti = randomUUID();
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setSubject(address.toLowerCase())
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setJti(jti)
        .sign(settings.secret);
      return { token, expiresAt: new Date(exp * 1000), jti };
    },

    /** The token's subject address, or an UnauthorizedError naming what is wrong with it. */
    async verify(token: string): Promise<{ address: string; jti: string; expiresAt: Date }> {
      try {
        const { payload } = await jwtVerify(token, settings.secret, {
          algorithms: [ALGORITHM],
          issuer: settings.issuer,
          audience: settings.audience,
          requiredClaims: ["sub", "iat", "exp", "jti"],
        });
        if (!/^0x[0-9a-f]{40}$/.test(payload.sub!)) {
          throw new UnauthorizedError("TOKEN_INVALID", "the token's subject is not an address", "header.authorization");
        }
        return { address: payload.sub!, jti: payload.jti!, expiresAt: new Date(payload.exp! * 1000) };
      } catch (error) {
        throw tokenError(error);
      }
    },
  };
}
export type TokenService = ReturnType<typeof createTokenService>;

function tokenError(error: unknown): UnauthorizedError {
  if (error instanceof UnauthorizedError) return error;
  const field = "header.authorization";
  if (error instanceof errors.JWTExpired) return new UnauthorizedError("TOKEN_EXPIRED", "the token has expired; sign in again", field);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthorizedError("TOKEN_CLAIM_INVALID", `the token's "${error.claim}" claim is not acceptable (${error.reason})`, field);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthorizedError("TOKEN_ALGORITHM", `only ${ALGORITHM} tokens are accepted`, field);
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new UnauthorizedError("TOKEN_SIGNATURE", "the token's signature does not verify: it was not issued by this API", field);
  }
  if (error instanceof errors.JOSEError) return new UnauthorizedError("TOKEN_MALFORMED", `the token is malformed (${error.message})`, field);
  return new UnauthorizedError("TOKEN_MALFORMED", "the token is malformed", field);
}
