import { clients } from './target';

// Keep-alive sockets of the shared SDK clients would keep jest waiting after the last test.
afterAll(() => clients.destroy());
