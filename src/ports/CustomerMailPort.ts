/** An e-mail to a customer about their order. */
export interface CustomerMail {
  to: string;
  toName: string;
  subject: string;
  text: string;
  /** What the mail is about, for the provider's reports: `order-rejected`. */
  category: string;
  orderId: string;
}

export interface CustomerMailPort {
  send(mail: CustomerMail): Promise<void>;
}
