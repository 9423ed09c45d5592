import { randomInt } from "node:crypto";

/** Where the sandbox's ids, account numbers and payment codes come from; a seeded source makes tests repeatable. */
export type RandomSource = () => number;

/** Uniform in [0, 1) from the OS's generator, like Math.random but not predictable. */
export const cryptoRandom: RandomSource = () => randomInt(0, 2 ** 47) / 2 ** 47;

export interface IdSource {
  /** `length` lowercase hex characters, like the docs' 32-hex object ids. */
  hex(length: number): string;
  /** `length` decimal digits (leading zeros allowed). */
  digits(length: number): string;
}

export function createIdSource(random: RandomSource): IdSource {
  const pick = (alphabet: string, length: number) => {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length) % alphabet.length];
    return out;
  };
  return {
    hex: (length) => pick("0123456789abcdef", length),
    digits: (length) => pick("0123456789", length),
  };
}
