/**
 * The signer of the signed cookies (session, CSRF secret), remembering the values it verified
 * (issue 14): a scan station sends the same two cookies with every request, and checking their
 * HMACs again was ~4% of a scan's Node CPU. A verified value is deterministic — the same string
 * always verifies the same way under the same secret — so remembering it changes no answer.
 * Only valid values are remembered: made-up cookies cannot fill the memory, each one is checked.
 */
import { Signer, type UnsignResult } from '@fastify/cookie';

/** At most this many verified cookies are remembered; the oldest goes first. */
const MAX_REMEMBERED = 10_000;

export function rememberingSigner(secret: string): Pick<Signer, 'sign' | 'unsign'> {
  const signer = new Signer(secret, 'sha256');
  const verified = new Map<string, UnsignResult>();
  return {
    sign: (value) => signer.sign(value),
    unsign(signed) {
      const hit = verified.get(signed);
      if (hit) return hit;
      const result = signer.unsign(signed);
      if (!result.valid) return result;
      if (verified.size >= MAX_REMEMBERED) verified.delete(verified.keys().next().value!);
      const remembered = Object.freeze({ ...result });
      verified.set(signed, remembered);
      return remembered;
    },
  };
}
