/**
 * Who an ops request is from: the signed-in user where Entra ID is in front (App Service
 * authentication's `x-ms-client-principal-name`), else the `by` the request gives, else the
 * function key's holder.
 */
export function operatorOf(request: { headers: { get(name: string): string | null } }, by?: string): string {
  return request.headers.get('x-ms-client-principal-name') ?? by ?? 'an operator with a function key';
}
