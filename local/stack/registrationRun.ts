import type { LocalStack } from './LocalStack';

/** Registrations as a checkout page sends them: a card token from the provider's SDK, then the intake. */
export async function takeRegistrations(stack: LocalStack, count: number, log: (line: string) => void = console.log): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const tokenAnswer = await fetch(`http://127.0.0.1:${stack.ports.payment}/v1/tokens`, {
      method: 'POST',
      body: JSON.stringify({ card: { number: '4242424242424242' } }),
    });
    const token = ((await tokenAnswer.json()) as { id: string }).id;
    const response = await fetch(`${stack.functionsUrl}/api/registrations?code=${encodeURIComponent(stack.functionKey)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `demo-${i}-${Date.now()}` },
      body: JSON.stringify({
        registrant: {
          givenName: ['Ana', 'Ben', 'Chloé'][i % 3],
          familyName: 'Demo',
          email: `registrant${i}@example.com`,
          marketingConsent: i % 2 === 0,
        },
        items: [{ code: ['WS-BREAD', 'FAIR-DAY', 'MEMBER-YEAR'][i % 3], quantity: 1 + (i % 2) }],
        currency: 'EUR',
        paymentToken: token,
      }),
    });
    const answer = (await response.json()) as { registrationId?: string; error?: string };
    log(`  registration ${i + 1}: ${response.status} ${answer.registrationId ?? answer.error ?? ''}`);
    if (answer.registrationId !== undefined) ids.push(answer.registrationId);
  }
  return ids;
}
