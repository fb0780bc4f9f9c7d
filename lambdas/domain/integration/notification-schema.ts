import * as z from '../../shared/zod';

/** The body of a message on the notifications queue; one per event, so `notificationId = eventId`. */
export const notificationSchema = z.object({
  notificationId: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  eventType: z.string().check(z.minLength(1)),
  accountId: z.string().check(z.minLength(1)),
  owner: z.string().check(z.minLength(1)),
  subject: z.string().check(z.minLength(1)),
  text: z.string().check(z.minLength(1)),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type Notification = z.infer<typeof notificationSchema>;
