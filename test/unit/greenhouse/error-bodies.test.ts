import { describe, expect, it } from 'vitest';
import { greenhouseErrorDetail, mask } from '#adapters/greenhouse/error-bodies';

describe('greenhouseErrorDetail', () => {
  it('reads string and field errors of a 422', () => {
    expect(greenhouseErrorDetail(422, { message: 'Unprocessable Content', errors: ['When passing a cursor, do not include other query params.', { first_name: 'is required' }] })).toEqual({
      messages: ['When passing a cursor, do not include other query params.', 'first_name: is required'],
    });
  });

  it('masks values a message echoes', () => {
    expect(greenhouseErrorDetail(422, { errors: [{ per_page: '`600` number is greater than: 500' }] }).messages).toEqual(['per_page: `…` number is greater than: 500']);
    expect(greenhouseErrorDetail(400, { message: 'client_id=abc123 does not contain a valid client ID suffix' }).messages).toEqual([
      'client_id=… does not contain a valid client ID suffix',
    ]);
    expect(mask('email ada@example.test already taken')).toBe('email …@… already taken');
  });

  it('names the missing scope of a 403', () => {
    expect(greenhouseErrorDetail(403, { message: 'Forbidden', errors: ['Missing required scope: harvest:candidates:merge'] }).missingScope).toBe('harvest:candidates:merge');
    expect(greenhouseErrorDetail(403, { message: 'Forbidden', missing_scopes: ['harvest:notes:create'] }).missingScope).toBe('harvest:notes:create');
    expect(greenhouseErrorDetail(403, { message: 'Forbidden' }).missingScope).toBeUndefined();
  });

  it('falls back to error or message, and never quotes HTML', () => {
    expect(greenhouseErrorDetail(401, { error: 'invalid_client' }).messages).toEqual(['invalid_client']);
    expect(greenhouseErrorDetail(404, { message: 'Resource not found' }).messages).toEqual(['Resource not found']);
    expect(greenhouseErrorDetail(502, '<html>Bad gateway</html>').messages).toEqual([]);
  });
});
