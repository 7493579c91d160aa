// Russian titles of the nms.v1 enums both browser clients show. "@gen" is the importing client's
// generated stubs (src/gen: vite alias and tsconfig `paths`, see build.mts SHARED_ALIAS), so the
// keys are the enums themselves, not copied numbers.
import { CompetencyArea, CompetencyLevel, Role } from "@gen/nms/v1/common_pb";
import { RouteStatus } from "@gen/nms/v1/route_pb";
import { MeetingFormat, PairType } from "@gen/nms/v1/mentoring_pb";

export const roleTitle: Record<number, string> = {
  [Role.TEACHER]: "Педагог",
  [Role.SCHOOL_ADMIN]: "Администратор ОО",
  [Role.MUNICIPAL_METHODIST]: "Муниципальный методист",
  [Role.REGIONAL_METHODIST]: "Региональный методист (ЦНППМ)",
  [Role.REGIONAL_ADMIN]: "Администратор региона",
  [Role.FEDERAL_SYNC]: "Федеральная синхронизация",
};

/** The five competency areas of the framework (also the titles CSV and instrument imports read). */
export const areaTitle: Record<number, string> = {
  [CompetencyArea.SUBJECT]: "Предметные",
  [CompetencyArea.METHODOLOGICAL]: "Методические",
  [CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL]: "Психолого-педагогические",
  [CompetencyArea.COMMUNICATIVE]: "Коммуникативные",
  [CompetencyArea.DIGITAL]: "Цифровые",
};
/** The areas as (value, title) pairs in the framework's order, for selects and checkboxes. */
export const AREA_OPTIONS: [number, string][] = Object.entries(areaTitle).map(([v, t]): [number, string] => [Number(v), t]);

/** The scored levels, lowest first. */
export const LEVELS = [CompetencyLevel.INSUFFICIENT, CompetencyLevel.BASIC, CompetencyLevel.ADVANCED, CompetencyLevel.HIGH];

export const levelTitle: Record<number, string> = {
  [CompetencyLevel.UNSPECIFIED]: "не оценён",
  [CompetencyLevel.INSUFFICIENT]: "недостаточный",
  [CompetencyLevel.BASIC]: "базовый",
  [CompetencyLevel.ADVANCED]: "повышенный",
  [CompetencyLevel.HIGH]: "высокий",
};

export const routeStatusTitle: Record<number, string> = {
  [RouteStatus.DRAFT]: "черновик",
  [RouteStatus.AGREED]: "согласован",
  [RouteStatus.APPROVED]: "утверждён",
  [RouteStatus.IN_PROGRESS]: "выполняется",
  [RouteStatus.COMPLETED]: "завершён",
  [RouteStatus.CANCELLED]: "отменён",
};

export const pairTypeTitle: Record<number, string> = {
  [PairType.SUBJECT]: "по предмету",
  [PairType.YOUNG_SPECIALIST]: "наставник — молодой специалист",
  [PairType.COMPETENCY_PEER]: "по компетенции (дефицит — сильная сторона)",
  [PairType.MANAGER_MANAGER]: "руководитель — руководитель",
  [PairType.GROUP]: "групповое",
  [PairType.ORGANIZATION_MANAGEMENT]: "управленческое (организации)",
};

export const meetingFormatTitle: Record<number, string> = {
  [MeetingFormat.IN_PERSON]: "очно",
  [MeetingFormat.ONLINE]: "онлайн",
  [MeetingFormat.LESSON_VISIT]: "посещение урока",
};
