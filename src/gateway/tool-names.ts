// Tool names are `system.verb`; OpenAI function names allow only [a-zA-Z0-9_-], so agents see `system__verb`.
// The gateway accepts both forms everywhere.
export const toFunctionName = (tool: string) => tool.replace('.', '__');
export const fromFunctionName = (name: string) => (name.includes('.') ? name : name.replace('__', '.'));
