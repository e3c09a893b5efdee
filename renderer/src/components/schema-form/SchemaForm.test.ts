import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { mapsSchema } from '../../testing/field-schemas.js';
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

  it('shows a field error once the field is left, right under it, with aria-invalid and aria-describedby', async () => {
    const { wrapper } = mountForm();
    const limit = wrapper.find('#f-limit');
    await limit.setValue('2.5');
    expect(wrapper.find('#f-limit-error').exists()).toBe(false);
    await limit.trigger('blur');
    const error = wrapper.find('#f-limit-error');
    expect(error.text()).toBe('limit must be a whole number');
    expect(error.classes()).toContain('field-error');
    // In the field's own block, after its input: not in a list somewhere else.
    const block = wrapper.findAll('.field').find((f) => f.find('#f-limit').exists())!;
    expect(block.find('#f-limit-error').exists()).toBe(true);
    expect(limit.attributes('aria-invalid')).toBe('true');
    expect(limit.attributes('aria-describedby')).toBe('f-limit-error');
    await limit.setValue('7');
    expect(wrapper.find('#f-limit-error').exists()).toBe(false);
    expect(limit.attributes('aria-invalid')).toBeUndefined();
  });

  it('shows numbers as number inputs with the schema bounds, and gives numbers; empty leaves them out', async () => {
    const { wrapper, model } = mountForm({
      schema: {
        properties: {
          count: { type: 'integer', minimum: 1, maximum: 20 },
          ratio: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    });
    const count = wrapper.find('#f-count');
    expect(count.attributes()).toMatchObject({ type: 'number', min: '1', max: '20', step: '1' });
    expect(wrapper.find('#f-ratio').attributes()).toMatchObject({ type: 'number', step: 'any' });
    await count.setValue('12');
    await wrapper.find('#f-ratio').setValue('0.25');
    await flushPromises();
    expect(model.value).toEqual({ count: 12, ratio: 0.25 });
    expect(typeof model.value.count).toBe('number');

    await count.setValue('');
    await flushPromises();
    expect(model.value).toEqual({ ratio: 0.25 });

    await count.setValue('30');
    await count.trigger('blur');
    expect(wrapper.find('#f-count-error').text()).toBe('count must be at most 20');
    await wrapper.find('#f-ratio').setValue('0');
    await wrapper.find('#f-ratio').trigger('blur');
    expect(wrapper.find('#f-ratio-error').text()).toBe('ratio must be more than 0');
  });

  it('says a number is wrong when the browser cannot read what was typed (it reports it empty)', async () => {
    const { wrapper, valid } = mountForm({ schema: { properties: { count: { type: 'integer' } } } });
    const count = wrapper.find('#f-count');
    const input = count.element as HTMLInputElement;
    Object.defineProperty(input, 'validity', { configurable: true, value: { badInput: true } });
    input.value = '';
    await count.trigger('input');
    await count.trigger('blur');
    expect(wrapper.find('#f-count-error').text()).toBe('count must be a number');
    expect(valid.at(-1)).toBe(false);
    Object.defineProperty(input, 'validity', { configurable: true, value: { badInput: false } });
    await count.setValue('3');
    expect(wrapper.find('#f-count-error').exists()).toBe(false);
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
    await wrapper.find('#f-query').setValue('ca');
    await wrapper.find('#f-limit').setValue('1.');
    await flushPromises();
    expect((wrapper.find('#f-query').element as HTMLInputElement).value).toBe('ca');
    expect((wrapper.find('#f-limit').element as HTMLInputElement).value).toBe('1.');
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

describe('SchemaForm units', () => {
  const logger = {
    properties: {
      maxFileBytes: {
        type: 'integer',
        title: 'Rotate the log at (bytes)',
        minimum: 65536,
        maximum: 1073741824,
        default: 5242880,
      },
      cooldownSeconds: { type: 'number', title: 'Pause for (seconds)', default: 30 },
      expiryMinutes: { type: 'integer', title: 'Keep stored replies for (minutes)', default: 60 },
    },
  };

  it('shows bytes in the largest unit that fits exactly, and stores what the unit picked makes in bytes', async () => {
    const { wrapper, model } = mountForm({ schema: logger });
    await flushPromises();
    expect(model.value).toMatchObject({ maxFileBytes: 5242880 });
    const amount = wrapper.find('#f-maxFileBytes');
    const unit = wrapper.find('#f-maxFileBytes-unit');
    expect((amount.element as HTMLInputElement).value).toBe('5');
    expect((unit.element as HTMLSelectElement).value).toBe(String(1024 * 1024));
    expect(unit.findAll('option').map((o) => o.text())).toEqual(['bytes', 'KB', 'MB']);
    expect(unit.attributes('aria-label')).toBe('Rotate the log at: unit');
    expect(wrapper.find('label[for="f-maxFileBytes"]').text()).toBe('Rotate the log at');
    // The bounds follow the unit: 64 KB to 1024 MB.
    expect(amount.attributes()).toMatchObject({ min: '0.0625', max: '1024' });

    await amount.setValue('1.5');
    await flushPromises();
    expect(model.value.maxFileBytes).toBe(1572864);
    // 1.5 KB is below the schema's minimum: said under the field, and not given on.
    await unit.setValue('1024');
    await flushPromises();
    expect(amount.attributes('min')).toBe('64');
    expect(wrapper.find('#f-maxFileBytes-error').text()).toBe('maxFileBytes must be at least 64 KB');
    expect(model.value.maxFileBytes).toBeUndefined();
    await amount.setValue('200');
    await flushPromises();
    expect(model.value.maxFileBytes).toBe(204800);
    expect(wrapper.find('#f-maxFileBytes-error').exists()).toBe(false);
  });

  it('shows seconds and minutes as a unit beside the input, not in the title', () => {
    const { wrapper } = mountForm({ schema: logger });
    const pause = wrapper.find('label[for="f-cooldownSeconds"]');
    expect(pause.text()).toBe('Pause for (seconds)'); // "(seconds)" only for screen readers
    expect(pause.find('.visually-hidden').text()).toBe('(seconds)');
    const block = (id: string) => wrapper.findAll('.field').find((f) => f.find(id).exists())!;
    expect(block('#f-cooldownSeconds').find('.suffix').text()).toBe('s');
    expect(block('#f-expiryMinutes').find('.suffix').text()).toBe('min');
    expect(wrapper.find('#f-cooldownSeconds').attributes('type')).toBe('number');
  });
});

describe('SchemaForm per-name numbers (additionalProperties)', () => {
  // The rate limiter's perTool alone, as the shared test schemas have it.
  const limiter = { properties: { perTool: mapsSchema.properties.perTool } };

  it('edits the object as a table of rows, with a label on every input, and gives the same object', async () => {
    const { wrapper, model } = mountForm({
      schema: limiter,
      modelValue: { perTool: { echo__echo: 30, github__create_issue: 5 } },
    });
    const table = wrapper.get('[data-testid="map-perTool"]');
    expect(table.get('legend').text()).toBe('Per-tool rates');
    expect(table.findAll('th').map((th) => th.text())).toEqual(['Tool', 'Rate', 'Remove']);
    const keys = table.findAll<HTMLInputElement>('tbody input[type="text"]');
    const rates = table.findAll<HTMLInputElement>('tbody input[type="number"]');
    expect(keys.map((k) => k.element.value)).toEqual(['echo__echo', 'github__create_issue']);
    expect(rates.map((r) => r.element.value)).toEqual(['30', '5']);
    expect(keys[0]!.attributes('aria-label')).toBe('Name of tool 1');
    expect(rates[1]!.attributes('aria-label')).toBe('Rate of github__create_issue');
    const removes = table.findAll('tbody button');
    expect(removes.map((b) => b.attributes('aria-label'))).toEqual([
      'Remove echo__echo',
      'Remove github__create_issue',
    ]);
    await flushPromises();
    expect(model.value).toEqual({ perTool: { echo__echo: 30, github__create_issue: 5 } });

    await rates[0]!.setValue('12');
    await removes[1]!.trigger('click');
    await flushPromises();
    expect(model.value).toEqual({ perTool: { echo__echo: 12 } });

    const add = table.findAll('button').find((b) => b.text() === 'Add a tool')!;
    await add.trigger('click');
    await flushPromises();
    const rows = wrapper.get('[data-testid="map-perTool"]').findAll('tbody tr');
    expect(rows).toHaveLength(2);
    await rows[1]!.get('input[type="text"]').setValue('notes__search');
    await rows[1]!.get('input[type="number"]').setValue('2.5');
    await flushPromises();
    expect(model.value).toEqual({ perTool: { echo__echo: 12, notes__search: 2.5 } });
  });

  it('says what is wrong with a row under the table, and marks the input', async () => {
    const { wrapper, model } = mountForm({ schema: limiter, modelValue: { perTool: { a__b: 1 } } });
    const table = wrapper.get('[data-testid="map-perTool"]');
    await table
      .findAll('button')
      .find((b) => b.text() === 'Add a tool')!
      .trigger('click');
    const row = wrapper.get('[data-testid="map-perTool"]').findAll('tbody tr')[1]!;
    await row.get('input[type="text"]').setValue('a__b');
    await row.get('input[type="number"]').setValue('0');
    await row.get('input[type="number"]').trigger('blur');
    expect(wrapper.get('#f-perTool-error').text()).toBe('perTool: "a__b" is listed twice');
    expect(row.get('input[type="text"]').attributes('aria-invalid')).toBe('true');
    await row.get('input[type="text"]').setValue('c__d');
    expect(wrapper.get('#f-perTool-error').text()).toBe('perTool: "c__d" must be more than 0');
    expect(row.get('input[type="number"]').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('#f-perTool').attributes('aria-describedby')).toBe('f-perTool-error');
    await row.get('input[type="number"]').setValue('4');
    await flushPromises();
    expect(wrapper.find('#f-perTool-error').exists()).toBe(false);
    expect(model.value).toEqual({ perTool: { a__b: 1, c__d: 4 } });
  });

  it('leaves an empty table out of the arguments', async () => {
    const { wrapper, model } = mountForm({ schema: limiter, modelValue: { perTool: { a__b: 1 } } });
    await wrapper.get('[data-testid="map-perTool"] tbody button').trigger('click');
    await flushPromises();
    expect(model.value).toEqual({});
    expect(wrapper.get('[data-testid="map-perTool"]').text()).toContain('None yet.');
  });
});
