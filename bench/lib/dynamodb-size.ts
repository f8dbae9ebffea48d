import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Item sizes by DynamoDB's published rules ("DynamoDB item sizes and formats", developer guide),
 * over the attribute values as sent on the wire:
 * - S: UTF-8 bytes; B: raw bytes; NULL and BOOL: 1 byte;
 * - N: 1 byte per two significant digits (leading and trailing zeros trimmed) + 1 byte
 *   (AWS calls this approximate; a negative number is counted one byte larger here);
 * - L and M: 3 bytes + for each element 1 byte + its size (for M also the key's UTF-8 bytes);
 * - SS, NS, BS: the sum of their elements;
 * - an item: for each attribute, the UTF-8 bytes of its name + the size of its value.
 */
const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

export function numberSize(text: string): number {
  const mantissa = text.trim().replace(/e.*$/i, '');
  const digits = mantissa.replace(/[-+.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(digits.length / 2) + 1 + (mantissa.startsWith('-') ? 1 : 0);
}

export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return value.L.reduce((sum, element) => sum + 1 + valueSize(element), 3);
  if (value.M !== undefined) {
    return Object.entries(value.M).reduce(
      (sum, [key, element]) => sum + 1 + utf8(key) + valueSize(element),
      3,
    );
  }
  if (value.SS !== undefined) return value.SS.reduce((sum, element) => sum + utf8(element), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, element) => sum + numberSize(element), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, element) => sum + element.byteLength, 0);
  throw new Error(`Unknown attribute value: ${JSON.stringify(value)}`);
}

export type Item = Record<string, AttributeValue>;

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Write capacity units of one standard write of an item of `bytes` (1 WCU per started KiB). */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
