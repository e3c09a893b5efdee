import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import SchemaForm from './SchemaForm.vue';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', title: 'Search query', description: 'What to look for' },
    mode: { type: 'string', enum: ['fast', 'full'], default: 'fast' },
    limit: { type: 'integer' },
    verbose: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    filter: { type: 'object' },
  },
  required: ['query'],
};

/** Mounts the form inside a host that binds it with v-model, as a parent would. */
function mountForm(props: { schema?: Record<string, unknown>; modelValue?: Record<string, unknown> } = {}) {
  const model = ref<Record<string, unknown>>(props.modelValue ?? {});
  const valid: boolean[] = [];
  const formSchema = 'schema' in props ? props.schema : schema;
  const Host = defineComponent({
    setup: () => () =>
      h(SchemaForm, {
        schema: formSchema,
        modelValue: model.value,
        idPrefix: 'f',
        'onUpdate:modelValue': (value: Record<string, unknown>) => (model.value = value),
        onValid: (v: boolean) => valid.push(v),
      }),
  });
  const host = mount(Host);
  return { wrapper: host.findComponent(SchemaForm), model, valid };
}

describe('SchemaForm', () => {
  it('labels every field, marks required ones in words and links help text', () => {
    const { wrapper } = mountForm();
    for (const name of ['query', 'mode', 'limit', 'verbose', 'tags', 'filter']) {
      const control = wrapper.find(`#f-${name}`);
      expect(control.exists(), name).toBe(true);
      expect(wrapper.find(`label[for="f-${name}"]`).exists(), name).toBe(true);
    }
    expect(wrapper.find('label[for="f-query"]').text()).toBe('Search query (required)');
    expect(wrapper.find('label[for="f-limit"]').text()).toBe('limit');
    expect(wrapper.find('#f-query').attributes('aria-describedby')).toBe('f-query-help');
    expect(wrapper.find('#f-query-help').text()).toBe('What to look for');
    expect(wrapper.find('#f-mode').element.tagName).toBe('SELECT');
    expect(wrapper.find('#f-verbose').attributes('type')).toBe('checkbox');
    expect(wrapper.find('#f-tags').element.tagName).toBe('TEXTAREA');
    expect(wrapper.find('#f-tags-help').text()).toContain('One per line');
  });

  it('says so when the schema takes no input', () => {
    const { wrapper } = mountForm({ schema: { type: 'object', properties: {} } });
    expect(wrapper.text()).toContain('This takes no input');
    expect(mountForm({ schema: undefined }).wrapper.text()).toContain('This takes no input');
  });

  it('emits the defaults at once, then the coerced arguments as fields change', async () => {
    const { wrapper, model, valid } = mountForm();
    await flushPromises();
    expect(model.value).toEqual({ mode: 'fast' });
    expect(valid.at(-1)).toBe(false);

    await wrapper.find('#f-query').setValue('cats');
    await wrapper.find('#f-limit').setValue('5');
    await wrapper.find('#f-verbose').setValue(true);
    await wrapper.find('#f-tags').setValue('a\nb');
    await wrapper.find('#f-mode').setValue('full');
    await flushPromises();
    expect(model.value).toEqual({ query: 'cats', mode: 'full', limit: 5, verbose: true, tags: ['a', 'b'] });
    expect(valid.at(-1)).toBe(true);
  });

  it('shows a field error once the field is left, with aria-invalid and aria-describedby', async () => {
    const { wrapper } = mountForm();
    const limit = wrapper.find('#f-limit');
    await limit.setValue('abc');
    expect(wrapper.find('#f-limit-error').exists()).toBe(false);
    await limit.trigger('blur');
    expect(wrapper.find('#f-limit-error').text()).toBe('limit must be a number');
    expect(limit.attributes('aria-invalid')).toBe('true');
    expect(limit.attributes('aria-describedby')).toBe('f-limit-error');
    await limit.setValue('7');
    expect(wrapper.find('#f-limit-error').exists()).toBe(false);
    expect(limit.attributes('aria-invalid')).toBeUndefined();
  });

  it('validate() shows every error and returns the arguments only when there are none', async () => {
    const { wrapper } = mountForm();
    const form = wrapper.vm as unknown as { validate(): Record<string, unknown> | undefined };
    await wrapper.find('#f-filter').setValue('{oops');
    expect(form.validate()).toBeUndefined();
    await flushPromises();
    expect(wrapper.find('#f-query-error').text()).toBe('query is required');
    expect(wrapper.find('#f-filter-error').text()).toBe('filter must be valid JSON');
    await wrapper.find('#f-query').setValue('x');
    await wrapper.find('#f-filter').setValue('{"a":1}');
    expect(form.validate()).toEqual({ query: 'x', mode: 'fast', filter: { a: 1 } });
  });

  it('starts from the given value, and re-seeds when the parent replaces it, keeping unknown keys', async () => {
    const { wrapper, model } = mountForm({ modelValue: { query: 'given', limit: 2 } });
    expect((wrapper.find('#f-query').element as HTMLInputElement).value).toBe('given');
    expect((wrapper.find('#f-limit').element as HTMLInputElement).value).toBe('2');
    model.value = { query: 'raw', extra: [1] };
    await flushPromises();
    expect((wrapper.find('#f-query').element as HTMLInputElement).value).toBe('raw');
    expect((wrapper.find('#f-limit').element as HTMLInputElement).value).toBe('');
    await wrapper.find('#f-limit').setValue('4');
    await flushPromises();
    expect(model.value).toEqual({ query: 'raw', mode: 'fast', limit: 4, extra: [1] });
  });

  it('does not reset what is being typed when its own value comes back', async () => {
    const { wrapper } = mountForm();
    await wrapper.find('#f-limit').setValue('12x');
    await flushPromises();
    expect((wrapper.find('#f-limit').element as HTMLInputElement).value).toBe('12x');
  });

  it('shows errors given from outside at their field', () => {
    const wrapper = mount(SchemaForm, {
      props: {
        schema,
        modelValue: { query: 'q' },
        idPrefix: 'g',
        fieldErrors: { limit: 'must be at most 9' },
      },
    });
    expect(wrapper.find('#g-limit-error').text()).toBe('must be at most 9');
    expect(wrapper.find('#g-limit').attributes('aria-invalid')).toBe('true');
  });
});

describe('SchemaForm choices', () => {
  it('shows named options, and a multi as a group of boxes that gives an array', async () => {
    const { wrapper, model } = mountForm({
      schema: {
        properties: {
          hero: { type: 'string', oneOf: [{ const: 'h1', title: 'Superman' }] },
          fish: {
            type: 'array',
            title: 'Fish',
            description: 'Your favourite fish',
            items: {
              anyOf: [
                { const: 'f1', title: 'Tuna' },
                { const: 'f2', title: 'Trout' },
              ],
            },
            maxItems: 1,
          },
        },
      },
    });
    expect(wrapper.findAll('select option').map((o) => o.text())).toEqual(['(not set)', 'Superman']);
    const group = wrapper.get('fieldset');
    expect(group.get('legend').text()).toBe('Fish');
    expect(group.attributes('aria-describedby')).toBe('f-fish-help');
    expect(wrapper.get('#f-fish-help').text()).toBe('Your favourite fish. Choose at most 1.');
    const boxes = group.findAll('input[type="checkbox"]');
    expect(group.findAll('label').map((l) => l.text())).toEqual(['Tuna', 'Trout']);
    await boxes[1]!.setValue(true);
    await flushPromises();
    expect(model.value).toEqual({ fish: ['f2'] });
    await boxes[0]!.setValue(true);
    await flushPromises();
    expect(wrapper.get('[data-testid="field-error"]').text()).toBe('choose at most 1 for fish');
    await boxes[1]!.setValue(false);
    await flushPromises();
    expect(model.value).toEqual({ fish: ['f1'] });
  });
});
