import { Md5, Sha256 } from '../../../../lambdas/shared/bundle-aliases/checksum';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('checksum stand-in (bundled in place of @smithy/core/checksum)', () => {
  it('hashes SHA-256 as FIPS 180-2 gives it, for text and bytes alike, and again after more data', async () => {
    const hash = new Sha256();
    hash.update('a');
    hash.update(new TextEncoder().encode('bc'));
    expect(hex(await hash.digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    hash.update('');
    expect(hex(await hash.digest())).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    hash.reset();
    expect(hex(await hash.digest())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('computes HMAC-SHA-256 with a secret (RFC 4231 test case 2), finished by its digest until reset', async () => {
    const hmac = new Sha256('Jefe');
    hmac.update(new Uint8Array(Buffer.from('what do ya want for nothing?')).buffer);
    expect(hex(await hmac.digest())).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(() => hmac.update('more')).toThrow(/HMAC already digested: call reset\(\) first/);
    hmac.reset();
    hmac.update('what do ya want for nothing?');
    expect(hex(await hmac.digest())).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('hashes MD5 as RFC 1321 gives it, reading a view at its offset', async () => {
    const md5 = new Md5();
    md5.update(new Uint8Array(Buffer.from('xxabc')).subarray(2));
    expect(hex(await md5.digest())).toBe('900150983cd24fb0d6963f7d28e17f72');
    md5.reset();
    expect([hex(await md5.digest()), md5.digestLength, new Sha256().digestLength]).toEqual(['d41d8cd98f00b204e9800998ecf8427e', 16, 32]);
  });
});
