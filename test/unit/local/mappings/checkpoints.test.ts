import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileCheckpointStore } from '../../../../local/mappings/checkpoints';

describe('FileCheckpointStore', () => {
  it('keeps checkpoints across instances once flushed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-checkpoints-'));
    const file = path.join(dir, 'checkpoints.json');
    const first = new FileCheckpointStore(file);
    first.put('projector|Mapping|arn', 'shardId-000000000000', '49590');
    first.flush();
    expect(new FileCheckpointStore(file).get('projector|Mapping|arn', 'shardId-000000000000')).toBe('49590');
    expect(new FileCheckpointStore(file).get('projector|Mapping|arn', 'shardId-000000000001')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty when the file is missing or unreadable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-checkpoints-'));
    fs.writeFileSync(path.join(dir, 'bad.json'), '{not json');
    expect(new FileCheckpointStore(path.join(dir, 'bad.json')).get('a', 'b')).toBeUndefined();
    expect(new FileCheckpointStore(path.join(dir, 'missing.json')).get('a', 'b')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
