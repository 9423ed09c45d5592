import { defaultDeserialize, defaultSerialize } from "@keyv/serialize";

/**
 * keyv's own serializer (@keyv/serialize), byte for byte, at the price of JSON.stringify and JSON.parse for
 * the records the store keeps.
 *
 * keyv's serializer walks every value in JavaScript to escape strings that begin with ":" (and to write
 * Buffers as ":base64:..."), and parses with a reviver that calls back into JavaScript for every value. A
 * paid callback reads and writes its payment through it once each, on the receiver's busy main thread.
 * For plain data (what the store keeps), JSON.stringify writes the same text except for those strings, and
 * each of them shows in the text, so only a record that has one goes the long way:
 *  - without whitespace, a string value opens with a quote right after ":" (an object's value), "," or "["
 *    (an array's item), and every quote inside a string is escaped, so `[:,[]":` finds every value that
 *    begins with ":" (and, harmlessly, a key that ends with one);
 *  - a Buffer is the one object JSON.stringify writes differently (through its toJSON), as
 *    `{"type":"Buffer","data":[`.
 * Reading, the reviver changes only strings that begin with ":"; whitespace is allowed before their quote
 * in case a record was written by something other than keyv.
 */

const COLON_VALUE_WRITTEN = /[:,[]":/;
const BUFFER_WRITTEN = '{"type":"Buffer","data":[';
const COLON_VALUE_READ = /(?:^|[:,[\s])":/;

export function serializeRecord(data: unknown): string {
  if (typeof data !== "object" || data === null) return defaultSerialize(data);
  const text = JSON.stringify(data) as string | undefined;
  if (text === undefined || COLON_VALUE_WRITTEN.test(text) || text.includes(BUFFER_WRITTEN)) return defaultSerialize(data);
  return text;
}

export function deserializeRecord<T>(text: string): T {
  return (COLON_VALUE_READ.test(text) ? defaultDeserialize(text) : JSON.parse(text)) as T;
}

/** For keyv's options: every namespace of the store reads and writes its records through these. */
export const keyvRecordSerializer = { serialize: serializeRecord, deserialize: deserializeRecord };
