import { answerChaosApi } from '../../../../local/endpoint/chaos-api';
import { FaultInjector } from '../../../../local/endpoint/chaos';

const PATH = '/_sluice/chaos/faults';
const body = (value: unknown) => Buffer.from(JSON.stringify(value));
const call = (chaos: FaultInjector, method: string, path = PATH, payload: Buffer = Buffer.alloc(0)) => {
  const answer = answerChaosApi(chaos, method, path, payload);
  return { status: answer.status, json: JSON.parse(answer.body) as Record<string, unknown> };
};

describe('answerChaosApi', () => {
  it('adds rules with POST (a list, one rule or {faults}) after the existing ones, and lists them with GET', () => {
    const chaos = new FaultInjector();
    expect(call(chaos, 'POST', PATH, body([{ service: 'sqs' }])).status).toBe(200);
    expect(call(chaos, 'POST', PATH, body({ service: 'kinesis' })).json.added).toHaveLength(1);
    expect(call(chaos, 'POST', PATH, body({ faults: [{ service: 'lambda' }] })).status).toBe(200);
    expect((call(chaos, 'GET').json.faults as Array<{ service: string }>).map((f) => f.service)).toEqual(['sqs', 'kinesis', 'lambda']);
  });

  it('replaces every rule with PUT', () => {
    const chaos = new FaultInjector();
    call(chaos, 'POST', PATH, body([{ service: 'sqs' }, { service: 'kinesis' }]));
    call(chaos, 'PUT', PATH, body([{ service: 'dynamodb' }]));
    expect(chaos.list().map((f) => f.service)).toEqual(['dynamodb']);
  });

  it('removes one rule by id, or all, with DELETE', () => {
    const chaos = new FaultInjector();
    const [first] = chaos.add([{ service: 'sqs' }, { service: 'kinesis' }]);
    expect(call(chaos, 'DELETE', `${PATH}/${first.id}`).json).toMatchObject({ removed: 1 });
    expect(call(chaos, 'DELETE').json).toMatchObject({ removed: 1, faults: [] });
  });

  it.each([
    ['a body that is not JSON', 'POST', PATH, Buffer.from('{'), 400, /the body must be JSON/],
    ['an invalid rule', 'POST', PATH, body([{ service: 'sns' }]), 400, /faults\[0\]\.service must be one of/],
    ['a malformed id', 'DELETE', `${PATH}/%E0%A4%A`, Buffer.alloc(0), 400, /not valid percent-encoding/],
    ['another method', 'PATCH', PATH, Buffer.alloc(0), 405, /use GET, POST, PUT or DELETE/],
  ])('refuses %s, naming what was wrong', (_case, method, path, payload, status, message) => {
    const answer = call(new FaultInjector(), method, path, payload);
    expect(answer.status).toBe(status);
    expect(answer.json.message).toMatch(message);
  });
});
