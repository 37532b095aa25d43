// The ticket under test is also a record in the tickets system, so tools like tickets.get_ticket and
// tickets.draft_reply act on it. A case may seed the record itself (with history); otherwise it is built here.
import type { Ticket } from '../plan/case-schema.js';
import type { FixtureData } from '../tools/types.js';

export function seedTicket(base: FixtureData, ticket: Ticket): FixtureData {
  const data = structuredClone(base); // never touch the run's shared base fixtures
  const tickets = (data.tickets ??= {});
  const list = (tickets.tickets ??= []);
  if (!list.some((t) => t.id === ticket.id)) {
    list.push({
      id: ticket.id,
      channel: ticket.channel,
      from: ticket.from,
      subject: ticket.subject,
      body: ticket.body,
      metadata: ticket.metadata,
      status: 'open',
      priority: 'normal',
      notes: [],
      draft: null,
    });
  }
  return data;
}
