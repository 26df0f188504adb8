import { describe, expect, it } from 'vitest';
import { describeKafkaError } from './errors';

describe('describeKafkaError', () => {
  it('finds a refused connection nested inside aggregate errors', () => {
    const nested = Object.assign(new Error('Connection failed.'), {
      errors: [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    });
    const err = Object.assign(new Error('Cannot connect to any broker.'), { errors: [nested] });
    const described = describeKafkaError(err, ['127.0.0.1:1']);
    expect(described.code).toBe('ECONNREFUSED');
    expect(described.message).toBe('Connection refused by 127.0.0.1:1.');
    expect(described.hint).toContain('--brokers');
  });

  it('explains DNS failures, timeouts and authentication failures', () => {
    expect(describeKafkaError(Object.assign(new Error('getaddrinfo ENOTFOUND nope'), { code: 'ENOTFOUND' }), ['nope:9092']).message).toContain('Cannot resolve');
    expect(describeKafkaError(new Error('Request timed out'), ['k:9092']).hint).toBeTruthy();
    expect(describeKafkaError(Object.assign(new Error('x'), { cause: new Error('SASL authentication failed') }), ['k:9092']).message).toContain('Authentication');
  });

  it('falls back to the most specific message it has', () => {
    const described = describeKafkaError(Object.assign(new Error('Listing groups failed.'), { errors: [new Error('UNKNOWN_SERVER_ERROR')] }), ['k:1']);
    expect(described.message).toContain('UNKNOWN_SERVER_ERROR');
  });
});
