import {
  escapeXml,
  queryErrorOf,
  queryErrorXml,
  queryResultXml,
  serveSqsQuery,
  toJsonCall,
  isSqsQueryRequest,
  type SqsJsonCall,
} from '../../../../local/endpoint/sqs-query';

// Bodies exactly as AWS CLI 2.9.19 (Debian 12's awscli, query protocol) sent them to the local
// endpoint, captured with `aws sqs <command> --endpoint-url http://localhost:4633`.
const Q = 'http%3A%2F%2Flocalhost%3A4633%2F000000000000%2Fcli-q';
const QUEUE_URL = 'http://localhost:4633/000000000000/cli-q';
const CLI_2_9_BODIES: ReadonlyArray<readonly [string, string, SqsJsonCall]> = [
  [
    'create-queue --attributes … --tags …',
    'Action=CreateQueue&Version=2012-11-05&QueueName=cli-q&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=45&Attribute.2.Name=DelaySeconds&Attribute.2.Value=0&Tag.1.Key=team&Tag.1.Value=edges&Tag.2.Key=env&Tag.2.Value=test',
    { action: 'CreateQueue', input: { QueueName: 'cli-q', Attributes: { VisibilityTimeout: '45', DelaySeconds: '0' }, tags: { team: 'edges', env: 'test' } } },
  ],
  ['list-queues --queue-name-prefix', 'Action=ListQueues&Version=2012-11-05&QueueNamePrefix=cli', { action: 'ListQueues', input: { QueueNamePrefix: 'cli' } }],
  ['get-queue-url', 'Action=GetQueueUrl&Version=2012-11-05&QueueName=cli-q', { action: 'GetQueueUrl', input: { QueueName: 'cli-q' } }],
  [
    'get-queue-attributes --attribute-names All',
    `Action=GetQueueAttributes&Version=2012-11-05&QueueUrl=${Q}&AttributeName.1=All`,
    { action: 'GetQueueAttributes', input: { QueueUrl: QUEUE_URL, AttributeNames: ['All'] } },
  ],
  [
    'set-queue-attributes',
    `Action=SetQueueAttributes&Version=2012-11-05&QueueUrl=${Q}&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=30`,
    { action: 'SetQueueAttributes', input: { QueueUrl: QUEUE_URL, Attributes: { VisibilityTimeout: '30' } } },
  ],
  [
    'send-message --message-attributes (String, Number, Binary)',
    `Action=SendMessage&Version=2012-11-05&QueueUrl=${Q}&MessageBody=hello+%3Cworld%3E+%26+%22you%22&DelaySeconds=0&MessageAttribute.1.Name=kind&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=greeting&MessageAttribute.2.Name=n&MessageAttribute.2.Value.DataType=Number&MessageAttribute.2.Value.StringValue=42&MessageAttribute.3.Name=b&MessageAttribute.3.Value.DataType=Binary&MessageAttribute.3.Value.BinaryValue=AQID`,
    {
      action: 'SendMessage',
      input: {
        QueueUrl: QUEUE_URL,
        MessageBody: 'hello <world> & "you"',
        DelaySeconds: 0,
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'greeting' },
          n: { DataType: 'Number', StringValue: '42' },
          b: { DataType: 'Binary', BinaryValue: 'AQID' },
        },
      },
    },
  ],
  [
    'receive-message --attribute-names All --message-attribute-names All …',
    `Action=ReceiveMessage&Version=2012-11-05&QueueUrl=${Q}&AttributeName.1=All&MessageAttributeName.1=All&MaxNumberOfMessages=10&VisibilityTimeout=5&WaitTimeSeconds=1`,
    {
      action: 'ReceiveMessage',
      input: { QueueUrl: QUEUE_URL, AttributeNames: ['All'], MessageAttributeNames: ['All'], MaxNumberOfMessages: 10, VisibilityTimeout: 5, WaitTimeSeconds: 1 },
    },
  ],
  [
    'delete-message',
    `Action=DeleteMessage&Version=2012-11-05&QueueUrl=${Q}&ReceiptHandle=rh-1`,
    { action: 'DeleteMessage', input: { QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1' } },
  ],
  [
    'send-message-batch',
    `Action=SendMessageBatch&Version=2012-11-05&QueueUrl=${Q}&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two&SendMessageBatchRequestEntry.2.DelaySeconds=1&SendMessageBatchRequestEntry.2.MessageAttribute.1.Name=k&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType=String&SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue=v`,
    {
      action: 'SendMessageBatch',
      input: {
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two', DelaySeconds: 1, MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        ],
      },
    },
  ],
  [
    'delete-message-batch',
    `Action=DeleteMessageBatch&Version=2012-11-05&QueueUrl=${Q}&DeleteMessageBatchRequestEntry.1.Id=a&DeleteMessageBatchRequestEntry.1.ReceiptHandle=rh-a&DeleteMessageBatchRequestEntry.2.Id=b&DeleteMessageBatchRequestEntry.2.ReceiptHandle=rh-b`,
    {
      action: 'DeleteMessageBatch',
      input: {
        QueueUrl: QUEUE_URL,
        Entries: [
          { Id: 'a', ReceiptHandle: 'rh-a' },
          { Id: 'b', ReceiptHandle: 'rh-b' },
        ],
      },
    },
  ],
  [
    'change-message-visibility',
    `Action=ChangeMessageVisibility&Version=2012-11-05&QueueUrl=${Q}&ReceiptHandle=rh-1&VisibilityTimeout=10`,
    { action: 'ChangeMessageVisibility', input: { QueueUrl: QUEUE_URL, ReceiptHandle: 'rh-1', VisibilityTimeout: 10 } },
  ],
  [
    'change-message-visibility-batch',
    `Action=ChangeMessageVisibilityBatch&Version=2012-11-05&QueueUrl=${Q}&ChangeMessageVisibilityBatchRequestEntry.1.Id=a&ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle=rh-a&ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout=3`,
    { action: 'ChangeMessageVisibilityBatch', input: { QueueUrl: QUEUE_URL, Entries: [{ Id: 'a', ReceiptHandle: 'rh-a', VisibilityTimeout: 3 }] } },
  ],
  ['purge-queue', `Action=PurgeQueue&Version=2012-11-05&QueueUrl=${Q}`, { action: 'PurgeQueue', input: { QueueUrl: QUEUE_URL } }],
  [
    'tag-queue',
    `Action=TagQueue&Version=2012-11-05&QueueUrl=${Q}&Tag.1.Key=k1&Tag.1.Value=v1`,
    { action: 'TagQueue', input: { QueueUrl: QUEUE_URL, Tags: { k1: 'v1' } } },
  ],
  [
    'untag-queue',
    `Action=UntagQueue&Version=2012-11-05&QueueUrl=${Q}&TagKey.1=k1&TagKey.2=k2`,
    { action: 'UntagQueue', input: { QueueUrl: QUEUE_URL, TagKeys: ['k1', 'k2'] } },
  ],
  ['list-queue-tags', `Action=ListQueueTags&Version=2012-11-05&QueueUrl=${Q}`, { action: 'ListQueueTags', input: { QueueUrl: QUEUE_URL } }],
  [
    'list-dead-letter-source-queues',
    `Action=ListDeadLetterSourceQueues&Version=2012-11-05&QueueUrl=${Q}`,
    { action: 'ListDeadLetterSourceQueues', input: { QueueUrl: QUEUE_URL } },
  ],
  ['delete-queue', `Action=DeleteQueue&Version=2012-11-05&QueueUrl=${Q}`, { action: 'DeleteQueue', input: { QueueUrl: QUEUE_URL } }],
];

describe('SQS query protocol', () => {
  describe('toJsonCall', () => {
    it.each(CLI_2_9_BODIES)('translates the body of aws sqs %s', (_command, body, expected) => {
      expect(toJsonCall(new URLSearchParams(body))).toEqual(expected);
    });

    it('orders flattened entries by their index, not their position in the form', () => {
      const call = toJsonCall(new URLSearchParams('Action=UntagQueue&TagKey.10=ten&TagKey.2=two&TagKey.1=one'));

      expect(call.input.TagKeys).toEqual(['one', 'two', 'ten']);
    });

    it('reads list-valued message attributes and system attributes (AWSTraceHeader)', () => {
      const call = toJsonCall(
        new URLSearchParams(
          'Action=SendMessage&MessageAttribute.1.Name=l&MessageAttribute.1.Value.DataType=String.list&MessageAttribute.1.Value.StringListValue.1=x&MessageAttribute.1.Value.StringListValue.2=y' +
            '&MessageSystemAttribute.1.Name=AWSTraceHeader&MessageSystemAttribute.1.Value.DataType=String&MessageSystemAttribute.1.Value.StringValue=Root%3D1-abc',
        ),
      );

      expect(call.input).toEqual({
        MessageAttributes: { l: { DataType: 'String.list', StringListValues: ['x', 'y'] } },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' } },
      });
    });

    it('drops the signature parameters of a signed GET', () => {
      const call = toJsonCall(
        new URLSearchParams('Action=ListQueues&Version=2012-11-05&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc&AWSAccessKeyId=k&SignatureVersion=2'),
      );

      expect(call.input).toEqual({});
    });

    it('takes the queue from the URL it was posted to when the form names none (SDK for JavaScript v2)', () => {
      const call = toJsonCall(new URLSearchParams('Action=PurgeQueue&Version=2012-11-05'), 'http://localhost:4566/000000000000/orders');

      expect(call.input).toEqual({ QueueUrl: 'http://localhost:4566/000000000000/orders' });
    });

    it('refuses a request without an Action', () => {
      expect(() => toJsonCall(new URLSearchParams('Version=2012-11-05'))).toThrow(/must contain the parameter Action/);
    });
  });

  describe('queryResultXml', () => {
    const NS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"';

    it('flattens ListQueues URLs into one QueueUrl element each', () => {
      expect(queryResultXml('ListQueues', { QueueUrls: ['http://h/1/a', 'http://h/1/b'] }, 'r-1')).toBe(
        `<?xml version="1.0"?><ListQueuesResponse ${NS}><ListQueuesResult><QueueUrl>http://h/1/a</QueueUrl><QueueUrl>http://h/1/b</QueueUrl></ListQueuesResult>` +
          '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ListQueuesResponse>',
      );
    });

    it('renders a received message with its MD5s, attributes and message attributes, escaped', () => {
      const xml = queryResultXml(
        'ReceiveMessage',
        {
          Messages: [
            {
              MessageId: 'm-1',
              ReceiptHandle: 'rh',
              MD5OfBody: 'md5body',
              Body: 'a<b>&"c"\r\n',
              Attributes: { SenderId: '000000000000', ApproximateReceiveCount: '1' },
              MD5OfMessageAttributes: 'md5attrs',
              MessageAttributes: { kind: { StringValue: 'x', DataType: 'String' }, bin: { BinaryValue: 'AQID', DataType: 'Binary' } },
            },
          ],
        },
        'r-2',
      );

      expect(xml).toContain(
        '<ReceiveMessageResult><Message><MessageId>m-1</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>md5body</MD5OfBody>' +
          '<Body>a&lt;b&gt;&amp;&quot;c&quot;&#13;\n</Body>' +
          '<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute><Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
          '<MD5OfMessageAttributes>md5attrs</MD5OfMessageAttributes>' +
          '<MessageAttribute><Name>kind</Name><Value><StringValue>x</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
          '<MessageAttribute><Name>bin</Name><Value><BinaryValue>AQID</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>' +
          '</Message></ReceiveMessageResult>',
      );
    });

    it('names batch entries after the action and failures BatchResultErrorEntry', () => {
      const xml = queryResultXml(
        'SendMessageBatch',
        {
          Successful: [{ Id: 'a', MessageId: 'm', MD5OfMessageBody: 'md5' }],
          Failed: [{ Id: 'b', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }],
        },
        'r-3',
      );

      expect(xml).toContain(
        '<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId><MD5OfMessageBody>md5</MD5OfMessageBody></SendMessageBatchResultEntry>' +
          '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>bad</Message></BatchResultErrorEntry></SendMessageBatchResult>',
      );
    });

    it('renders tags as Tag/Key/Value and dead-letter sources as QueueUrl', () => {
      expect(queryResultXml('ListQueueTags', { Tags: { team: 'edges' } }, 'r')).toContain(
        '<ListQueueTagsResult><Tag><Key>team</Key><Value>edges</Value></Tag></ListQueueTagsResult>',
      );
      expect(queryResultXml('ListDeadLetterSourceQueues', { queueUrls: ['http://h/1/a'] }, 'r')).toContain(
        '<ListDeadLetterSourceQueuesResult><QueueUrl>http://h/1/a</QueueUrl></ListDeadLetterSourceQueuesResult>',
      );
    });

    it.each(['DeleteQueue', 'DeleteMessage', 'PurgeQueue', 'SetQueueAttributes', 'ChangeMessageVisibility', 'TagQueue', 'UntagQueue'])(
      'answers %s with response metadata only, as AWS does',
      (action) => {
        expect(queryResultXml(action, {}, 'r-4')).toBe(
          `<?xml version="1.0"?><${action}Response ${NS}><ResponseMetadata><RequestId>r-4</RequestId></ResponseMetadata></${action}Response>`,
        );
      },
    );
  });

  describe('queryErrorOf', () => {
    it.each([
      ['com.amazonaws.sqs#QueueDoesNotExist', undefined, 'AWS.SimpleQueueService.NonExistentQueue'],
      // fauxqs's header spells this one wrong; the service model's awsQueryError trait wins
      ['com.amazonaws.sqs#QueueNameExists', 'AWS.SimpleQueueService.QueueNameExists;Sender', 'QueueAlreadyExists'],
      ['com.amazonaws.sqs#PurgeQueueInProgress', undefined, 'AWS.SimpleQueueService.PurgeQueueInProgress'],
      ['com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue;Sender', 'InvalidParameterValue'],
      ['com.amazonaws.sqs#SomethingNew', 'AWS.SimpleQueueService.SomethingNewer;Sender', 'AWS.SimpleQueueService.SomethingNewer'],
      ['com.amazonaws.sqs#InvalidAction', undefined, 'InvalidAction'],
    ])('maps %s (header %s) to the query code %s', (type, header, code) => {
      expect(queryErrorOf(400, { __type: type, message: 'm' }, header)).toEqual({ status: 400, type: 'Sender', code, message: 'm' });
    });

    it('takes Sender or Receiver from the header, else from the status', () => {
      expect(queryErrorOf(400, { __type: 'x#A' }, 'A;Receiver').type).toBe('Receiver');
      expect(queryErrorOf(500, { __type: 'x#InternalError' }).type).toBe('Receiver');
    });
  });

  it('renders an error document as AWS does', () => {
    expect(
      queryErrorXml({ status: 400, type: 'Sender', code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.' }, 'r-5'),
    ).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message><Detail/></Error>' +
        '<RequestId>r-5</RequestId></ErrorResponse>',
    );
  });

  it('escapes the five XML specials and carriage returns', () => {
    expect(escapeXml(`<a href='x'>"&"</a>\r`)).toBe('&lt;a href=&apos;x&apos;&gt;&quot;&amp;&quot;&lt;/a&gt;&#13;');
  });

  describe('isSqsQueryRequest', () => {
    it.each([
      ['POST', '/', 'application/x-www-form-urlencoded; charset=utf-8', true],
      ['GET', '/?Action=ListQueues&Version=2012-11-05', undefined, true],
      ['GET', '/', undefined, false],
      ['GET', '/_sluice/health', undefined, false],
      ['POST', '/', 'application/x-amz-json-1.0', false],
    ])('%s %s (%s) → %s', (method, path, contentType, expected) => {
      expect(isSqsQueryRequest(method, path, contentType)).toBe(expected);
    });
  });

  describe('serveSqsQuery', () => {
    const publicUrl = 'http://localhost:4566';

    it('sends the JSON call and answers with the XML result', async () => {
      const calls: SqsJsonCall[] = [];
      const answer = await serveSqsQuery(
        { method: 'GET', path: '/000000000000/orders?Action=GetQueueAttributes&AttributeName.1=QueueArn', body: '' },
        publicUrl,
        async (call) => {
          calls.push(call);
          return { status: 200, body: JSON.stringify({ Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders' } }) };
        },
      );

      expect(calls).toEqual([{ action: 'GetQueueAttributes', input: { AttributeNames: ['QueueArn'], QueueUrl: 'http://localhost:4566/000000000000/orders' } }]);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/xml');
      expect(answer.body).toContain('<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:orders</Value></Attribute>');
    });

    it('answers an emulator error with the query error and its status', async () => {
      const answer = await serveSqsQuery({ method: 'POST', path: '/', body: 'Action=GetQueueUrl&QueueName=nope' }, publicUrl, async () => ({
        status: 400,
        queryErrorHeader: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
        body: JSON.stringify({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' }),
      }));

      expect(answer.status).toBe(400);
      expect(answer.body).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    });

    it('answers MissingAction without calling the emulator', async () => {
      const send = jest.fn();

      const answer = await serveSqsQuery({ method: 'POST', path: '/', body: 'QueueName=x' }, publicUrl, send);

      expect(send).not.toHaveBeenCalled();
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('<Code>MissingAction</Code>');
    });
  });
});
