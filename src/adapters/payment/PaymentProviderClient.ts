import type { AxiosInstance } from 'axios';
import { isAxiosError } from '../http/axiosOnFirstUse';
import { ErrorCodes } from '../../domain/errorCodes';
import { HubError } from '../../domain/HubError';
import type { ChargeAnswer, ChargeRequest, PaymentPort } from '../../ports/PaymentPort';
import { createRestClient } from '../http/createRestClient';
import { parseRetryAfter } from '../http/classifyHttpFailure';

export interface PaymentProviderOptions {
  baseUrl: string;
  /** The secret API key (server side). */
  apiKey: string;
  timeoutMs: number;
}

/**
 * The payment provider's charges API (`POST /v1/charges`, authorize and capture), with its
 * `Idempotency-Key` header: a retried request is answered as the first, and charges once.
 */
export class PaymentProviderClient implements PaymentPort {
  private readonly http: () => AxiosInstance;

  constructor(options: PaymentProviderOptions) {
    this.http = createRestClient('payment-provider', {
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      headers: { authorization: `Bearer ${options.apiKey}` },
    });
  }

  async charge(request: ChargeRequest): Promise<ChargeAnswer> {
    try {
      const { data } = await this.http().post<{ id: string }>(
        '/v1/charges',
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          source: request.token,
          description: request.description,
          metadata: request.metadata,
        },
        { headers: { 'idempotency-key': request.idempotencyKey } },
      );
      return { outcome: 'charged', chargeId: data.id };
    } catch (error) {
      if (!isAxiosError(error) || error.response === undefined) {
        const what = isAxiosError(error) ? (error.code ?? error.message) : String(error);
        throw new HubError(ErrorCodes.PAYMENT_UNAVAILABLE, `the payment provider did not answer (${what})`, {
          transient: true,
          ambiguous: true,
        });
      }
      const { status, headers } = error.response;
      const body = error.response.data as { error?: { code?: string; decline_code?: string; message?: string } } | undefined;
      const message = body?.error?.message ?? `status ${status}`;
      if (status === 402)
        return { outcome: 'declined', code: body?.error?.decline_code ?? body?.error?.code ?? 'card_declined', reason: message };
      if (status >= 500 || status === 429) {
        const retryAfterMs = parseRetryAfter(headers['retry-after']);
        throw new HubError(ErrorCodes.PAYMENT_UNAVAILABLE, `the payment provider answered ${status}: ${message}`, {
          transient: true,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      throw new HubError(ErrorCodes.PAYMENT_REJECTED, `the payment provider refused the charge (${status}): ${message}`, {
        transient: false,
        details: body?.error?.code === undefined ? [] : [`code: ${body.error.code}`],
      });
    }
  }
}
