// Russian titles of the roles (common.proto Role).
import { Role } from "./gen/nms/v1/common_pb";

export const roleTitle: Record<number, string> = {
  [Role.TEACHER]: "Педагог",
  [Role.SCHOOL_ADMIN]: "Администратор ОО",
  [Role.MUNICIPAL_METHODIST]: "Муниципальный методист",
  [Role.REGIONAL_METHODIST]: "Региональный методист (ЦНППМ)",
  [Role.REGIONAL_ADMIN]: "Администратор региона",
  [Role.FEDERAL_SYNC]: "Федеральная синхронизация",
};
