import type { PayloadEncoding } from '../../lib/contract';
import { MessagesError } from './errors';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The bytes to write for a key or value typed in the produce form; a 400 that says what is wrong otherwise. */
export function decodePayload(text: string | null, encoding: PayloadEncoding, what: 'key' | 'value'): Buffer | null {
  if (text === null) return null;
  if (encoding === 'base64') {
    const compact = text.replace(/\s+/g, '');
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new MessagesError(400, 'bad_request', `The ${what} is not valid base64.`, 'Use the standard alphabet (A-Z a-z 0-9 + /) with = padding, or pick the text encoding.');
    }
    return Buffer.from(compact, 'base64');
  }
  if (encoding === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new MessagesError(400, 'bad_request', `The ${what} is not valid JSON: ${(err as Error).message}`, 'Fix the JSON, or pick the text encoding to send it as it is.');
    }
  }
  return Buffer.from(text, 'utf8');
}
