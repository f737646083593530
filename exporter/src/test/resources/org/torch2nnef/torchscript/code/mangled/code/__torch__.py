class Mangled(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  a : __torch__.Block
  b : __torch__.___torch_mangle_11.Block
  head : __torch__.torch.nn.modules.container.___torch_mangle_15.Sequential
  def forward(self: __torch__.Mangled,
    x: Tensor) -> Tensor:
    head = self.head
    b = self.b
    a = self.a
    input = torch.mean((b).forward((a).forward(x, ), ), [-1])
    return (head).forward(input, )
class Block(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  conv : __torch__.torch.nn.modules.conv.Conv1d
  norm : __torch__.torch.nn.modules.normalization.LayerNorm
  def forward(self: __torch__.Block,
    x: Tensor) -> Tensor:
    norm = self.norm
    conv = self.conv
    input = torch.transpose((conv).forward(x, ), 1, 2)
    _0 = torch.transpose((norm).forward(input, ), 1, 2)
    return torch.add(_0, x)
