import { AppException, ErrorCode } from '../../common/errors';
import type { JurisdictionEntity, JurisdictionGroupMemberEntity } from './jurisdiction.entity';
import type { JurisdictionsRepository } from './jurisdictions.repository';
import { JurisdictionsService } from './jurisdictions.service';

/** A catalogue holding a few jurisdictions and the EU group. */
function storeWith(
  rows: JurisdictionEntity[],
  members: JurisdictionGroupMemberEntity[],
): JurisdictionsRepository {
  return {
    findAll: () => Promise.resolve(rows),
    findGroupMembers: () => Promise.resolve(members),
  } as unknown as JurisdictionsRepository;
}

describe('JurisdictionsService', () => {
  let sut: JurisdictionsService;

  beforeEach(async () => {
    sut = new JurisdictionsService(
      storeWith(
        [
          { code: 'DE', name: 'Germany', kind: 'COUNTRY' },
          { code: 'EU', name: 'European Union', kind: 'GROUP' },
          { code: 'FR', name: 'France', kind: 'COUNTRY' },
          { code: 'US', name: 'United States', kind: 'COUNTRY' },
        ],
        [
          { groupCode: 'EU', memberCode: 'DE' },
          { groupCode: 'EU', memberCode: 'FR' },
        ],
      ),
    );
    await sut.onModuleInit();
  });

  it('expands from the loaded tables', () => {
    expect(sut.expand('DE')).toEqual(['DE', 'EU']);
    expect(sut.expand('US-CA')).toEqual(['US-CA', 'US']);
    expect(sut.expand('US')).toEqual(['US']);
    expect(sut.expandAll(['de', 'FR', 'US-CA'])).toEqual(['DE', 'EU', 'FR', 'US-CA', 'US']);
  });

  it('lists groups with their members', () => {
    expect(sut.list().find((j) => j.code === 'EU')).toEqual({
      code: 'EU',
      name: 'European Union',
      kind: 'GROUP',
      members: ['DE', 'FR'],
    });
  });

  it('knows subdivisions of stored countries, not of groups or unknown countries', () => {
    expect(sut.find('us-ca')).toMatchObject({ code: 'US-CA', name: 'United States (US-CA)' });
    expect(sut.find('EU-X')).toBeNull();
    expect(sut.find('XX-1')).toBeNull();
    expect(sut.require(' de ')).toBe('DE');
  });

  it('refuses an unknown or malformed code with BAD_USER_INPUT naming the field', () => {
    for (const code of ['XX', 'not a code']) {
      let error: unknown;
      try {
        sut.require(code);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppException);
      expect((error as AppException).code).toBe(ErrorCode.BAD_USER_INPUT);
      expect((error as AppException).details).toMatchObject({ fields: ['jurisdiction'] });
    }
  });
});
