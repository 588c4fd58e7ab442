import type * as Iot from '@aws-sdk/client-iot';
import { MANAGED_TEMPLATES, managedTemplate, managedTemplateArn, type ManagedTemplate } from '../../../domain/aws/managed-templates.js';
import { operation, type OperationHandlers, type Validated } from '../operation.js';
import { pageOf, pageRequest } from '../paging.js';

const summaryOf = (template: ManagedTemplate, region: string): Iot.ManagedJobTemplateSummary => ({
  templateArn: managedTemplateArn(region, template),
  templateName: template.name,
  description: template.description,
  environments: template.environments,
  templateVersion: template.version,
});

/** AWS-managed job templates: fixed documents whose documentParameters CreateJob checks. */
export const managedTemplateOperations: OperationHandlers = {
  ListManagedJobTemplates: operation<Iot.ListManagedJobTemplatesRequest, Iot.ListManagedJobTemplatesResponse>(async (input, { region }) => {
    const templates = MANAGED_TEMPLATES.filter((template) => input.templateName === undefined || template.name === input.templateName);
    const { items, nextToken } = pageOf([...templates], pageRequest(input));
    return { managedJobTemplates: items.map((template) => summaryOf(template, region)), nextToken };
  }),

  DescribeManagedJobTemplate: operation<Validated<Iot.DescribeManagedJobTemplateRequest, 'templateName'>, Iot.DescribeManagedJobTemplateResponse>(
    async (input, { region }) => {
      const template = managedTemplate(input.templateName, input.templateVersion);
      return {
        ...summaryOf(template, region),
        documentParameters: template.parameters.map(({ key, description, regex, example, optional }) => ({ key, description, regex, example, optional })),
        document: template.document,
      };
    },
  ),
};
