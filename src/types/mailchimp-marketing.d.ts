/** What the hub uses of the official Mailchimp Marketing client (the package ships no types). */
declare module '@mailchimp/mailchimp_marketing' {
  interface ListMemberBody {
    email_address: string;
    status_if_new: 'subscribed' | 'pending' | 'unsubscribed' | 'cleaned' | 'transactional';
    merge_fields?: Record<string, string>;
  }

  interface ListMember {
    id: string;
    email_address: string;
    status: string;
  }

  interface MailchimpClient {
    setConfig(config: { apiKey?: string; server?: string }): void;
    /** `https://<server>.api.mailchimp.com/3.0` unless set. */
    basePath: string;
    /** Request timeout in milliseconds. */
    timeout: number;
    lists: {
      setListMember(listId: string, subscriberHash: string, body: ListMemberBody): Promise<ListMember>;
      getListMember(listId: string, subscriberHash: string): Promise<ListMember>;
    };
  }

  const client: MailchimpClient;
  export = client;
}
