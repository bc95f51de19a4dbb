import { describe, expect, it } from 'vitest';
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabwrite } from '../../../src/cli/views/tabwriter.ts';

describe("Go's tabwriter as kubectl configures it", () => {
  it('get: columns padded by 3, at least 6 wide; the last cell unpadded', () => {
    expect(tabwrite('NAME\tAGE\na\t1s\n', GET_TABWRITER)).toBe('NAME   AGE\na      1s\n');
    expect(tabwrite('A\tB\tC\nx\ty\tz\n', GET_TABWRITER)).toBe('A     B     C\nx     y     z\n');
  });

  it('describe: a line without tabs ends a column block, so sections align separately', () => {
    const text = 'Name:\tweb\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\nContainers:\n  app:\n    Image:\tnginx\n    Port:\t<none>\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe(
      'Name:  web\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/web\nContainers:\n  app:\n    Image:  nginx\n    Port:   <none>\n',
    );
  });

  it('a nested column block: the second column aligns only over the lines that have it', () => {
    expect(tabwrite('a\tb\tc\naaaa\tbb\nx\ty\n', DESCRIBE_TABWRITER)).toBe('a     b  c\naaaa  bb\nx     y\n');
  });
});
