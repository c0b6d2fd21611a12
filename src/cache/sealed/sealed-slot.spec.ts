import { MemoryCacheStore } from '../memory-cache.store.js';
import { SealedSlot } from './sealed-slot.js';

describe(SealedSlot.name, () => {
  const keys = { sealed: 'box', marker: 'marker' };

  it('says nothing changed only while the values read last are still there', async () => {
    const store = new MemoryCacheStore();
    const slot = new SealedSlot(store, 'test', keys, 'password');
    await slot.write('one', 1, 'aaaaaaaaaaaa');
    expect((await slot.read()).changed).toBe(true);
    expect((await slot.read()).changed).toBe(false);
  });

  it('judges the next read after its own write, even if it finds the values read before it', async () => {
    const store = new MemoryCacheStore();
    const slot = new SealedSlot(store, 'test', keys, 'password');
    await slot.write('one', 1, 'aaaaaaaaaaaa');
    const before = await slot.read();
    const [box = null, marker = null] = await store.mget([keys.sealed, keys.marker]);
    await slot.write('two', 2, 'bbbbbbbbbbbb');
    // A Redis writer puts the old values back (a snapshot restored) before the next read.
    await store.set([
      [keys.sealed, box ?? ''],
      [keys.marker, marker ?? ''],
    ]);
    const after = await slot.read();
    expect(after.raw).toBe(before.raw);
    expect(after.changed).toBe(true);
    expect(after.sealed).toMatchObject({ kind: 'sealed', epoch: 1, plaintext: 'one' });
  });
});
